using Microsoft.Extensions.DependencyInjection.Extensions;
using Torace.Platform.Storage;

namespace Torace.Gateway.ApiKeys;

/// <summary>A district the gateway should know from configuration (development seeding: demo-a, demo-b).</summary>
public sealed record SeededDistrict(string Name, string ApiKey);

public static class ApiKeySetup
{
    public static IHostApplicationBuilder AddApiKeys(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("gateway");
        builder.Services.AddMemoryCache();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddHostedService<SeedDistricts>();
        return builder;
    }

    sealed class SeedDistricts(ApiKeyStore keys, IConfiguration configuration) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await keys.EnsureSchema(cancellationToken);
            foreach (var district in configuration.GetSection("Gateway:Districts").Get<SeededDistrict[]>() ?? [])
            {
                await keys.Seed(district.Name, district.ApiKey, cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

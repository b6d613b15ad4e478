using Microsoft.AspNetCore.Server.Kestrel.Core;
using Torace.Gateway.ApiKeys;
using Torace.Gateway.Audit;
using Torace.Gateway.Callers;
using Torace.Platform.Tenancy;
using Yarp.ReverseProxy.Transforms;

namespace Torace.Gateway.Proxy;

/// <summary>
/// The public API: authenticate the district by its key, limit its rate, then forward to the owning service
/// with a freshly minted service token. Whatever tenant or authorization headers a caller sent are dropped.
/// </summary>
public static class DistrictProxy
{
    const string DistrictPolicy = "district";

    public static IHostApplicationBuilder AddDistrictProxy(this IHostApplicationBuilder builder)
    {
        var tokens = builder.Configuration.GetSection(ServiceTokenOptions.Section).Get<ServiceTokenOptions>() ?? new();
        tokens.Key();

        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long>("Gateway:MaxRequestBodyBytes", 10 * 1024 * 1024));
        builder.Services.AddAuthorizationBuilder().AddPolicy(DistrictPolicy, policy => policy
            .AddAuthenticationSchemes(GatewayCallers.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ServiceToken.TenantClaim));
        builder.Services.AddDistrictRateLimits(builder.Configuration);
        builder.Services.AddProgramExistence();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms =>
            {
                transforms.AddRequestTransform(context =>
                {
                    var headers = context.ProxyRequest.Headers;
                    foreach (var name in headers.Select(h => h.Key).Where(IsCallerIdentity).ToList())
                    {
                        headers.Remove(name);
                    }
                    // The caller as authenticated (API key: integrator with the key's scopes; link: the participant).
                    headers.Authorization = new("Bearer", ServiceToken.Issue(tokens, context.HttpContext.User.Caller(), DateTimeOffset.UtcNow));
                    headers.TryAddWithoutValidation("X-Correlation-Id", context.HttpContext.TraceIdentifier);
                    return ValueTask.CompletedTask;
                });
                if (transforms.Route.RouteId == RequestedRuns.RouteId)
                {
                    transforms.AddResponseTransform(transforms.Services.GetRequiredService<RequestedRuns>().Answer);
                }
            });
        return builder;
    }

    public static WebApplication UseDistrictProxy(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapReverseProxy(pipeline => pipeline
                .UsePersonalDataAudit()
                .UseProgramExistence()
                .UseSessionAffinity()
                .UseLoadBalancing()
                .UsePassiveHealthChecks())
            .RequireAuthorization(DistrictPolicy).RequireRateLimiting(DistrictRateLimits.Policy);
        return app;
    }

    static bool IsCallerIdentity(string header) =>
        header.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || header.Equals(ApiKeyAuthentication.Header, StringComparison.OrdinalIgnoreCase)
        || header.StartsWith("X-Tenant", StringComparison.OrdinalIgnoreCase);
}

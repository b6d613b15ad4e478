using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Torace.AppHost.LocalInfrastructure;

// The system runs Debian packages as local processes (and the bench reads /proc).
[assembly: global::System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Torace.GatewayBench;

/// <summary>
/// The whole system started through the real AppHost, as the integration tests start it (Aspire.Hosting.Testing, a
/// fresh state folder, PostgreSQL with fsync off), with the gateway's default rate limits.
/// </summary>
public sealed class RunningSystem : IAsyncDisposable
{
    readonly string state = Path.Combine(Path.GetTempPath(), "torace-bench-" + Guid.NewGuid().ToString("N")[..10]);
    DistributedApplication? app;

    public Uri Gateway { get; private set; } = null!;
    public IReadOnlyList<(string Name, string ApiKey)> Districts { get; private set; } = [];

    public async Task Start(CancellationToken ct)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Torace_AppHost>(
            [$"--Torace:StateDirectory={state}", "--Torace:Ephemeral=true"], ct);
        // The resources' console output (a sync makes a lot of it) stays in DCP and the dashboard, not in the report.
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Torace.AppHost.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        app = await builder.BuildAsync(ct);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startup.CancelAfter(TimeSpan.FromMinutes(8));
        await app.StartAsync(startup.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);

        var endpointsFile = Path.Combine(state, "endpoints.json");
        while (!File.Exists(endpointsFile))
        {
            await Task.Delay(200, startup.Token);
        }
        using var endpoints = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile, startup.Token));
        Gateway = new Uri(endpoints.RootElement.GetProperty("gateway").GetString()!);
        Districts = [.. endpoints.RootElement.GetProperty("districts").EnumerateArray()
            .Select(d => (d.GetProperty("name").GetString()!, d.GetProperty("apiKey").GetString()!))];
    }

    /// <summary>A resource's connection string (postgres, rabbitmq), for benches that measure a part of the system directly.</summary>
    public async Task<string> ConnectionString(string resource, CancellationToken ct) =>
        await (app ?? throw new InvalidOperationException("The system has not started.")).GetConnectionStringAsync(resource, ct)
            ?? throw new InvalidOperationException($"The system has no connection string for {resource}.");

    /// <summary>RabbitMQ's management API (guest/guest, loopback), for benches that make a virtual host of their own.</summary>
    public Uri RabbitMqManagement => new((app ?? throw new InvalidOperationException("The system has not started."))
        .Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<LocalRabbitMqResource>().Single().ManagementUrl);

    /// <summary>A gateway client with one district's key; connections are not capped, so the callers set the concurrency.</summary>
    public HttpClient District(string apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = Gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        try
        {
            Directory.Delete(state, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // PostgreSQL's files belong to the postgres user and may linger a moment; the folder is in /tmp.
        }
    }
}

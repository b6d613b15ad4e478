using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Torace.AppHost.Recovery;

/// <summary>
/// Starts a service again, through Aspire's own start command, when its process ends while it was running
/// (RestartPolicy says when). Nothing is started once the AppHost is stopping, so it never fights DCP on shutdown.
/// </summary>
public sealed class CrashedResourceRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<CrashedResourceRestarter> logger) : BackgroundService
{
    /// <summary>The property the dashboard shows on the resource.</summary>
    public const string RestartsProperty = "torace.restarts";

    readonly ConcurrentDictionary<string, ResourceWatch> watches = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var change in notifications.WatchAsync(stopping.Token))
            {
                if (change.Resource is not ProjectResource)
                {
                    continue;
                }
                var before = watches.GetValueOrDefault(change.ResourceId, ResourceWatch.Unseen);
                var (watch, restart) = RestartPolicy.Observe(before, change.Snapshot.State?.Text, clock.GetUtcNow());
                if (watch.State != before.State)
                {
                    logger.LogDebug("{Resource}: {Before} -> {After} (exit code {ExitCode})", change.ResourceId, before.State, watch.State, change.Snapshot.ExitCode);
                }
                watches[change.ResourceId] = watch;
                if (restart is not null)
                {
                    _ = StartAgain(change, restart, stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    async Task StartAgain(ResourceEvent crash, RestartDecision restart, CancellationToken stopping)
    {
        var name = crash.Resource.Name;
        var line = $"{name} exited with code {crash.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}; "
            + $"starting it again in {restart.Delay.TotalSeconds:0.#} s (restart {restart.Restart})";
        logger.LogWarning("{Line}", line);
        resourceLogs.GetLogger(crash.ResourceId).LogWarning("{Line}", line);
        try
        {
            await notifications.PublishUpdateAsync(crash.Resource, crash.ResourceId, s => s with
            {
                Properties = [.. s.Properties.Where(p => p.Name != RestartsProperty), new ResourcePropertySnapshot(RestartsProperty, restart.Restart) { DisplayName = "Restarts" }],
            });
            await Task.Delay(restart.Delay, clock, stopping);

            // The operator may have started or stopped it meanwhile; start only what is still down after that crash.
            if (watches.TryGetValue(crash.ResourceId, out var now) && now.State == crash.Snapshot.State?.Text && !now.StopAsked)
            {
                var result = await commands.ExecuteCommandAsync(crash.ResourceId, KnownResourceCommands.StartCommand, stopping);
                if (!result.Success)
                {
                    logger.LogError("Starting {Resource} again failed: {Error}", name, result.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Starting {Resource} again failed", name);
        }
    }
}

public static class CrashedResourceRestarterExtensions
{
    /// <summary>Crashed services (project resources) come back on their own, with a bounded back-off.</summary>
    public static IDistributedApplicationBuilder AddCrashedResourceRestarter(this IDistributedApplicationBuilder builder)
    {
        builder.Services.AddHostedService<CrashedResourceRestarter>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}

using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>
/// A local server (PostgreSQL, RabbitMQ, its epmd, maildev) that ends before it was ever healthy leaves every service
/// waiting for it forever. Instead, say on the console which one, with what exit code and its last output, and stop
/// the AppHost with exit code 1.
/// </summary>
/// <remarks>
/// It watches from <see cref="StartingAsync"/>, before any hosted service starts: Aspire's orchestrator does not finish
/// starting while a service still waits for the server that ended, so a guard started after it never ran.
/// </remarks>
public sealed class InfrastructureStartupGuard(
    ResourceNotificationService notifications,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    StartupFailure startupFailure,
    ILogger<InfrastructureStartupGuard> logger) : IHostedLifecycleService, IDisposable
{
    static readonly HashSet<string> Ended = [.. KnownResourceStates.TerminalStates, "Terminated"];

    readonly CancellationTokenSource stopping = new();
    Task watching = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        watching = Task.Run(() => Watch(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await watching.WaitAsync(cancellationToken);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => stopping.Dispose();

    async Task Watch(CancellationToken stoppingToken)
    {
        using var until = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        var up = new HashSet<string>();
        // An operator's stop (or restart) of a server that was not healthy yet is not a failure to start.
        var stoppedOnPurpose = new HashSet<string>();
        try
        {
            await foreach (var change in notifications.WatchAsync(until.Token))
            {
                if (change.Resource is not ExecutableResource || up.Contains(change.ResourceId))
                {
                    continue;
                }
                var state = change.Snapshot.State?.Text;
                if (state == KnownResourceStates.Stopping)
                {
                    stoppedOnPurpose.Add(change.ResourceId);
                    continue;
                }
                if (state == KnownResourceStates.Starting || state == KnownResourceStates.Waiting)
                {
                    stoppedOnPurpose.Remove(change.ResourceId);
                }
                var hasHealthChecks = change.Resource.TryGetAnnotationsOfType<HealthCheckAnnotation>(out _);
                if (state == KnownResourceStates.Running && (!hasHealthChecks || change.Snapshot.HealthStatus == HealthStatus.Healthy))
                {
                    up.Add(change.ResourceId);
                }
                else if (state is not null && Ended.Contains(state) && !until.IsCancellationRequested && !stoppedOnPurpose.Contains(change.ResourceId))
                {
                    await GiveUp(change, until.Token);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (until.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The watch runs beside the host, where nobody awaits it until shutdown: say so now.
            logger.LogError(e, "The startup guard stopped watching local servers; one that cannot start will not stop the AppHost.");
        }
    }

    async Task GiveUp(ResourceEvent failure, CancellationToken ct)
    {
        var lastLines = new Queue<string>();
        try
        {
            using var enough = CancellationTokenSource.CreateLinkedTokenSource(ct);
            enough.CancelAfter(TimeSpan.FromSeconds(5));
            await foreach (var batch in resourceLogs.GetAllAsync(failure.ResourceId).WithCancellation(enough.Token))
            {
                foreach (var line in batch)
                {
                    lastLines.Enqueue(line.Content);
                    if (lastLines.Count > 15)
                    {
                        lastLines.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        var exitCode = failure.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
        logger.LogCritical(
            "{Resource} ended ({State}, exit code {ExitCode}) before it was ever healthy, so nothing that needs it can start. Its last output:{Output}"
            + "{NewLine}What to do: fix what that output says; if an earlier run is still shutting down, wait for it or stop it "
            + "(pgrep -fa 'Torace\\.|postgres|beam|maildev'), then start the AppHost again. The AppHost stops now (exit code 1).",
            failure.Resource.Name, failure.Snapshot.State?.Text, exitCode,
            lastLines.Count == 0 ? " (none)" : string.Concat(lastLines.Select(l => Environment.NewLine + "  | " + l)), Environment.NewLine);
        startupFailure.Happened = true;
        lifetime.StopApplication();
    }
}

/// <summary>Whether a local server could not start; the AppHost then exits with code 1 (set there, not in a test host).</summary>
public sealed class StartupFailure
{
    public bool Happened { get; set; }
}

public static class InfrastructureStartupGuardExtensions
{
    public static IDistributedApplicationBuilder AddInfrastructureStartupGuard(this IDistributedApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StartupFailure>();
        builder.Services.AddHostedService<InfrastructureStartupGuard>();
        return builder;
    }
}

using System.Linq.Expressions;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Torace.Platform.Storage;

namespace Torace.Platform.Jobs;

/// <summary>Hangfire as every service that runs jobs sets it up: storage in the service's own database (schema <c>hangfire</c>), a server with its workers.</summary>
public static class HangfireJobs
{
    /// <param name="workers">How many jobs run at once.</param>
    /// <param name="queuePoll">How often an idle worker looks for a job triggered at once.</param>
    public static IHostApplicationBuilder AddHangfireJobs(this IHostApplicationBuilder builder, int workers, TimeSpan queuePoll)
    {
        builder.Services.AddHangfire((services, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                o => o.UseNpgsqlConnection(services.GetRequiredService<ServiceDatabaseConnection>().ConnectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    QueuePollInterval = queuePoll,
                    // Hangfire's locks are rows, held for moments (a recurring job's next run, a job's state). A process
                    // killed while holding one left it for Hangfire's default ten minutes: the recurring job stood still
                    // and the restarted service could not register it (seen when the fault tests killed Notifications).
                    DistributedLockTimeout = StaleLockAfter,
                }));
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = workers;
            // Recurring jobs are looked at every 5 s (Hangfire's six-part crons count seconds).
            o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
        });
        return builder;
    }

    /// <summary>How long a lock row may be held before another process may take it: far longer than any hold of ours.</summary>
    public static readonly TimeSpan StaleLockAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers (or updates) a recurring job once the service runs, trying again every 5 s while Hangfire cannot take
    /// the job's lock or reach its database: a service never fails to start for its schedule, and keeps consuming meanwhile.
    /// </summary>
    public static WebApplication KeepRecurringJob<T>(this WebApplication app, string id, Expression<Func<T, Task>> job, string cron)
    {
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HangfireJobs));
        var stopping = app.Lifetime.ApplicationStopping;
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            for (var attempt = 1; !stopping.IsCancellationRequested; attempt++)
            {
                try
                {
                    jobs.AddOrUpdate(id, job, cron);
                    return;
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    log.LogWarning(e, "The recurring job {JobId} could not be registered (attempt {Attempt}); trying again in 5 s", id, attempt);
                }
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, CancellationToken.None));
        return app;
    }
}

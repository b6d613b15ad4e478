using Hangfire;
using Hangfire.Dashboard;
using Torace.Platform.Jobs;
using Torace.Scheduling.Operations;

namespace Torace.Scheduling.Touchpoints;

/// <summary>
/// Hangfire runs the touchpoint sweep every 15 seconds, at the next alarm's time (<see cref="NextAlarm"/> triggers the
/// recurring job then) and at once when a new engagement has something due, so an alarm goes out about a second after
/// its time when nothing else is waiting; a sweep with nothing due is one indexed query.
/// </summary>
public static class TouchpointSweeps
{
    public const string RecurringJobId = "touchpoint-sweep";

    /// <summary>Every 15 seconds (Hangfire reads a six-part cron as seconds first; the schedule poll runs every 5 s).</summary>
    public const string Every15Seconds = "*/15 * * * * *";

    public static IHostApplicationBuilder AddTouchpointSweeps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TouchpointSweeper>();
        builder.Services.AddHostedService<NextAlarm>();
        builder.AddHangfireJobs(workers: 2, queuePoll: TimeSpan.FromSeconds(1));
        return builder;
    }

    public static WebApplication MapTouchpointSweeps(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [ActivatorUtilities.CreateInstance<OperatorDashboardAccess>(app.Services)],
            DisplayStorageConnectionString = false,
        }).AllowAnonymous();
        return app.KeepRecurringJob<TouchpointSweeper>(RecurringJobId, sweeper => sweeper.Sweep(CancellationToken.None), Every15Seconds);
    }
}

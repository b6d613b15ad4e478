using Hangfire;
using Hangfire.Dashboard;
using Torace.Scheduling.Operations;
using Hangfire.PostgreSql;
using Torace.Platform.Storage;

namespace Torace.Scheduling.Touchpoints;

/// <summary>Hangfire runs the touchpoint sweep every minute (and at once when a new engagement has something due).</summary>
public static class TouchpointSweeps
{
    public const string RecurringJobId = "touchpoint-sweep";

    public static IHostApplicationBuilder AddTouchpointSweeps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TouchpointSweeper>();
        builder.Services.AddHangfire((services, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                o => o.UseNpgsqlConnection(services.GetRequiredService<ServiceDatabaseConnection>().ConnectionString),
                new PostgreSqlStorageOptions { SchemaName = "hangfire", QueuePollInterval = TimeSpan.FromSeconds(1) }));
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = 2;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
        });
        return builder;
    }

    public static WebApplication MapTouchpointSweeps(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [ActivatorUtilities.CreateInstance<OperatorDashboardAccess>(app.Services)],
            DisplayStorageConnectionString = false,
        }).AllowAnonymous();
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<TouchpointSweeper>(RecurringJobId, sweeper => sweeper.Sweep(CancellationToken.None), Cron.Minutely());
        return app;
    }
}

using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
                new PostgreSqlStorageOptions { SchemaName = "hangfire", QueuePollInterval = queuePoll }));
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = workers;
            // Recurring jobs are looked at every 5 s (Hangfire's six-part crons count seconds).
            o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
        });
        return builder;
    }
}

using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Scheduling;
using Torace.GatewayBench;
using Torace.Scheduling.Engagements;

namespace Torace.SweepBench;

/// <summary>One round of the baseline: scheduling the delayed jobs, then the server from its start to the last message on the broker.</summary>
public sealed record HangfireRun(int Jobs, int Workers, TimeSpan SchedulePolling, TimeSpan Scheduling, int Heard, int Repeats, TimeSpan? LastHeard, CpuUse Cpu)
{
    public double ScheduledPerSecond => Jobs / Scheduling.TotalSeconds;
    public double PublishedPerSecond => LastHeard is { } last ? Heard / last.TotalSeconds : 0;
}

/// <summary>
/// The way the sweep replaces: one Hangfire delayed job per touchpoint, each publishing one TouchpointDue through
/// MassTransit, so both ways end at the same broker. The storage is Hangfire.PostgreSql in a schema of its own in the
/// sweep host's database, with the service's storage options (queue poll every 1 s); the server has Hangfire's default
/// worker count and polls for due jobs every second (the default is 15 s), which is generous to Hangfire. The jobs are
/// scheduled, all already due, before the server starts, as the sweep's rows are written before it sweeps.
/// </summary>
public sealed class HangfireBaseline : IAsyncDisposable
{
    public const string Schema = "hangfire_baseline";
    public static readonly TimeSpan SchedulePolling = TimeSpan.FromSeconds(1);

    readonly SchedulingHost host;
    readonly Action<string> progress;
    readonly TimeSpan quiet;
    readonly IBusControl publisher;
    readonly PostgreSqlStorage storage;

    HangfireBaseline(SchedulingHost host, Action<string> progress, TimeSpan quiet, IBusControl publisher)
    {
        this.host = host;
        this.progress = progress;
        this.quiet = quiet;
        this.publisher = publisher;
        var options = new PostgreSqlStorageOptions { SchemaName = Schema, QueuePollInterval = TimeSpan.FromSeconds(1) };
        // Its own storage object, not JobStorage.Current: the hosted service's Hangfire keeps its own.
        storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(host.DatabaseConnectionString, options), options);
    }

    public static async Task<HangfireBaseline> Start(SchedulingHost host, Action<string> progress, TimeSpan quiet, CancellationToken ct) =>
        new(host, progress, quiet, await host.Bus(_ => { }, ct));

    public async Task<HangfireRun> Run(int jobs, CancellationToken ct)
    {
        var program = Guid.NewGuid();
        var arrivals = host.Arrivals.For(program);
        var client = new BackgroundJobClient(storage);
        progress($"Hangfire: scheduling {jobs:N0} delayed jobs, all due now");
        var due = DateTimeOffset.UtcNow;
        var scheduling = Stopwatch.StartNew();
        for (var i = 0; i < jobs; i++)
        {
            var (engagement, touchpoint) = (Guid.NewGuid(), Guid.NewGuid());
            client.Schedule<TouchpointDueJob>(job => job.Publish(program, engagement, touchpoint, due), due);
        }
        var schedulingTime = scheduling.Elapsed;

        var options = new BackgroundJobServerOptions
        {
            ServerName = $"hangfire-baseline-{program:N}",
            SchedulePollingInterval = SchedulePolling,
            Activator = new TouchpointDueJob.Activator(new TouchpointDueJob(publisher)),
        };
        progress($"  scheduled in {schedulingTime.TotalSeconds:0.0} s; starting a server with {options.WorkerCount} workers");
        var before = MachineLoad.Read();
        var started = DateTimeOffset.UtcNow;
        using (var server = new BackgroundJobServer(options, storage))
        {
            await arrivals.Until(a => a.Touchpoints >= jobs, quiet, ct);
            server.SendStop();
        }
        var after = MachineLoad.Read();
        var run = new HangfireRun(jobs, options.WorkerCount, SchedulePolling, schedulingTime, arrivals.Touchpoints, arrivals.Repeats, arrivals.LastHeard - started,
            CpuUse.Between(before, after));
        progress($"  {run.Heard:N0} on the broker by {run.LastHeard?.TotalSeconds:0.0} s ({run.PublishedPerSecond:N0}/s)");
        return run;
    }

    public async ValueTask DisposeAsync() => await publisher.StopAsync();
}

/// <summary>The baseline's job: publish one touchpoint's TouchpointDue, shaped as the service's outbox publishes it.</summary>
public sealed class TouchpointDueJob(IBus bus)
{
    static readonly Participant Recipient = new(Guid.NewGuid(), "M", "m@a.org", "A", "America/Chicago");

    public Task Publish(Guid programId, Guid engagementId, Guid touchpointId, DateTimeOffset dueAt) =>
        bus.Publish(new TouchpointDue(DueEngagements.Tenant, programId, engagementId, touchpointId, TouchpointKinds.SessionReminder, 1, dueAt,
            "Sweep bench", [Recipient]));

    /// <summary>Hands Hangfire this one job object (the hosted service's activator knows nothing of it).</summary>
    public sealed class Activator(TouchpointDueJob job) : JobActivator
    {
        public override object ActivateJob(Type jobType) => jobType == typeof(TouchpointDueJob) ? job : base.ActivateJob(jobType);
    }
}

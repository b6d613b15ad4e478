using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Torace.GatewayBench;
using Torace.Scheduling.Touchpoints;

namespace Torace.SweepBench;

/// <summary>
/// One round of the sweep's rate: how it was set up, how long the sweep calls took (claimed per second) and when the
/// last TouchpointDue reached the broker after the sweep began (published per second, the figure set against Hangfire).
/// </summary>
public sealed record SweepRun(string Name, int Sweepers, int Engagements, int Touchpoints, TimeSpan Setup, int Claimed, TimeSpan SweepCalls,
    int Heard, int Repeats, TimeSpan? LastHeard, CpuUse Cpu)
{
    public double ClaimedPerSecond => Claimed / SweepCalls.TotalSeconds;
    public double PublishedPerSecond => LastHeard is { } last ? Heard / last.TotalSeconds : 0;

    /// <summary>Engagements written and announced on the broker per second: what the lateness round's due time is planned from.</summary>
    public double SetupPerSecond => Engagements / Setup.TotalSeconds;
}

/// <summary>
/// Touchpoints already due, swept by calling the service's own <see cref="TouchpointSweeper.Sweep"/> from one task or
/// several at once (as several Scheduling instances would), on a host whose recurring sweep is off. The round starts
/// once the outbox has published every engagement's EngagementScheduled, so the sweep's messages do not queue behind
/// the set-up's.
/// </summary>
public sealed class SweepRate(SchedulingHost host, Action<string> progress, TimeSpan quiet)
{
    public async Task<SweepRun> Run(string name, int touchpoints, int sweepers, CancellationToken ct)
    {
        var program = Guid.NewGuid();
        var arrivals = host.Arrivals.For(program);
        var engagements = touchpoints / 2;
        progress($"{name}: writing {engagements:N0} engagements with {touchpoints:N0} reminders already due");
        var setup = Stopwatch.StartNew();
        var written = await DueEngagements.Write(host.Services.GetRequiredService<IDocumentStore>(), host.Services.GetRequiredService<NpgsqlDataSource>(),
            program, engagements, DateTimeOffset.UtcNow.AddSeconds(-1), ct);
        await arrivals.Until(a => a.Engagements >= engagements, quiet, ct);
        var setupTime = setup.Elapsed;
        progress($"  set up in {setupTime.TotalSeconds:0.0} s ({arrivals.Engagements:N0} EngagementScheduled heard); sweeping with {sweepers}");

        var sweeper = host.Services.GetRequiredService<TouchpointSweeper>();
        var before = MachineLoad.Read();
        var started = DateTimeOffset.UtcNow;
        var sweep = Stopwatch.StartNew();
        var claimed = await Task.WhenAll(Enumerable.Range(0, sweepers).Select(_ => Task.Run(() => sweeper.Sweep(ct), ct)));
        var sweepTime = sweep.Elapsed;
        await arrivals.Until(a => a.Touchpoints >= written, quiet, ct);
        var after = MachineLoad.Read();
        var run = new SweepRun(name, sweepers, engagements, written, setupTime, claimed.Sum(), sweepTime, arrivals.Touchpoints, arrivals.Repeats,
            arrivals.LastHeard - started, CpuUse.Between(before, after));
        progress($"  claimed {run.Claimed:N0} in {sweepTime.TotalSeconds:0.0} s ({run.ClaimedPerSecond:N0}/s); {run.Heard:N0} on the broker by {run.LastHeard?.TotalSeconds:0.0} s ({run.PublishedPerSecond:N0}/s)");
        return run;
    }
}

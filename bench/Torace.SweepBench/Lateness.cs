using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Torace.GatewayBench;

namespace Torace.SweepBench;

/// <summary>
/// The lateness round: how the due moment was chosen against the set-up, and each touchpoint's arrival on the broker
/// less its due time (nearest-rank percentiles, in seconds).
/// </summary>
public sealed record LatenessRun(int Engagements, int Touchpoints, TimeSpan Setup, TimeSpan Margin, int Heard, int Repeats,
    IReadOnlyList<double> Seconds, TimeSpan? FirstHeard, TimeSpan? LastHeard, CpuUse Cpu)
{
    /// <summary>The set-up ended before the due moment, so no lateness comes from the bench itself.</summary>
    public bool SetUpInTime => Margin > TimeSpan.Zero;

    public double Percentile(double p) => Seconds.Count == 0 ? double.NaN : Seconds[Math.Clamp((int)Math.Ceiling(p * Seconds.Count) - 1, 0, Seconds.Count - 1)];
}

/// <summary>
/// Many touchpoints due at one moment on a host as deployed (its Hangfire recurring sweep every 15 s and at the next
/// alarm's time; the bench does not sweep). The moment lies beyond the set-up: the set-up's time is estimated from the
/// rate rounds' engagements per second, with half again and 20 s to spare, and the report says if it still overran. First a few engagements
/// already due show that the recurring sweep runs on this host, and warm its paths.
/// </summary>
public sealed class Lateness(SchedulingHost host, Action<string> progress, TimeSpan quiet)
{
    public async Task<LatenessRun> Run(int engagements, int warmUpEngagements, double setupPerSecond, CancellationToken ct)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var database = host.Services.GetRequiredService<NpgsqlDataSource>();

        progress($"lateness: {warmUpEngagements:N0} engagements already due, for the recurring sweep to take");
        var warmUpProgram = Guid.NewGuid();
        var warmUp = host.Arrivals.For(warmUpProgram);
        var warmUpReminders = await DueEngagements.Write(store, database, warmUpProgram, warmUpEngagements, DateTimeOffset.UtcNow.AddSeconds(-1), ct);
        if (!await warmUp.Until(a => a.Touchpoints >= warmUpReminders, quiet, ct))
        {
            progress($"  the recurring sweep published only {warmUp.Touchpoints:N0} of {warmUpReminders:N0} warm-up reminders");
        }

        var estimate = TimeSpan.FromSeconds(engagements / setupPerSecond * 1.5 + 20);
        var ticks = (DateTimeOffset.UtcNow + estimate).UtcTicks;
        var due = new DateTimeOffset(ticks - ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var program = Guid.NewGuid();
        var arrivals = host.Arrivals.For(program);
        progress($"  writing {engagements:N0} engagements, {2 * engagements:N0} reminders due at {due:HH:mm:ss} (in {estimate.TotalSeconds:0} s)");
        var setup = Stopwatch.StartNew();
        var reminders = await DueEngagements.Write(store, database, program, engagements, due, ct);
        await arrivals.Until(a => a.Engagements >= engagements, quiet, ct);
        var setupTime = setup.Elapsed;
        var margin = due - DateTimeOffset.UtcNow;
        progress($"  set up in {setupTime.TotalSeconds:0.0} s, {margin.TotalSeconds:0.0} s before the due time");

        if (margin > TimeSpan.Zero)
        {
            await Task.Delay(margin, ct);
        }
        var before = MachineLoad.Read();
        await arrivals.Until(a => a.Touchpoints >= reminders, quiet, ct);
        var after = MachineLoad.Read();
        var heard = arrivals.Arrivals;
        var run = new LatenessRun(engagements, reminders, setupTime, margin, heard.Count, arrivals.Repeats,
            [.. heard.Select(a => a.Lateness.TotalSeconds).Order()], heard.Count == 0 ? null : heard.Min(a => a.HeardAt) - due, arrivals.LastHeard - due,
            CpuUse.Between(before, after));
        progress($"  {run.Heard:N0} of {reminders:N0} heard; lateness p50 {run.Percentile(0.50):0.0} s, p99 {run.Percentile(0.99):0.0} s, max {run.Percentile(1):0.0} s");
        return run;
    }
}

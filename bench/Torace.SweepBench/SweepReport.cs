using System.Globalization;
using System.Text;
using Torace.GatewayBench;
using Torace.Scheduling.Touchpoints;

namespace Torace.SweepBench;

/// <summary>The sweep bench's markdown: the targets first, then each round with the machine's load while it ran.</summary>
public static class SweepReport
{
    /// <summary>The sweep publishes at least this many times Hangfire's delayed jobs per second.</summary>
    public const double RatioTarget = 10;
    public const double LatenessTarget = 60;

    static string N(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
    static string S(TimeSpan? time) => time is { } t ? $"{N(t.TotalSeconds, "0.0")} s" : "none heard";
    static string P(double share) => $"{N(share * 100)} %";

    public static string Write(DateTimeOffset started, TimeSpan startup, TimeSpan whole, SweepSizes sizes,
        SweepRun one, SweepRun two, HangfireRun hangfire, LatenessRun late)
    {
        var text = new StringBuilder();
        string Pass(bool ok) => ok ? "PASS" : "FAIL";
        string Ratio(SweepRun s) => hangfire.PublishedPerSecond > 0 ? N(s.PublishedPerSecond / hangfire.PublishedPerSecond, "0.0") + "×" : "n/a";
        bool Complete(SweepRun s) => s.Heard == s.Touchpoints;
        var ratioOk = Complete(two) && hangfire.Heard == hangfire.Jobs && two.PublishedPerSecond >= RatioTarget * hangfire.PublishedPerSecond;
        var p99 = late.Percentile(0.99);
        var lateOk = late.SetUpInTime && late.Heard == late.Touchpoints && p99 < LatenessTarget;

        text.AppendLine(CultureInfo.InvariantCulture, $"# Touchpoint sweep bench ({started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, system up in {N(startup.TotalSeconds)} s, whole run {N(whole.TotalSeconds)} s{(sizes == SweepSizes.Full ? "" : $", {sizes.Name} sizes: not a measurement")})");
        text.AppendLine();
        text.AppendLine("| target | measured | result |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| due-table sweep ≥ {N(RatioTarget)}× Hangfire delayed jobs (touchpoints on the broker per second, same run) | {Ratio(two)} (two sweepers {N(two.PublishedPerSecond)}/s against {N(hangfire.PublishedPerSecond)}/s; one sweeper {Ratio(one)}, {N(one.PublishedPerSecond)}/s) | {Pass(ratioOk)} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {N(late.Touchpoints)} touchpoints due at once, the service's own sweeps (every 15 s and at the next alarm's time): p99 lateness < {N(LatenessTarget)} s | p99 {N(p99, "0.0")} s (p50 {N(late.Percentile(0.5), "0.0")} s, max {N(late.Percentile(1), "0.0")} s; {N(late.Heard)} of {N(late.Touchpoints)} heard{(late.SetUpInTime ? "" : "; set-up overran the due time")}) | {Pass(lateOk)} |");
        text.AppendLine();

        text.AppendLine("## Sweep against one Hangfire delayed job per touchpoint (both end at the broker)");
        text.AppendLine();
        text.AppendLine("| way | touchpoints | set-up | sweep calls / scheduling | claimed/s | last on the broker | on the broker/s | × Hangfire | heard | repeats | CPU: machine | this system | other work |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in new[] { one, two })
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| due-table sweep, {s.Name} | {N(s.Touchpoints)} | {S(s.Setup)} ({N(s.SetupPerSecond)} engagements/s) | {S(s.SweepCalls)} | {N(s.ClaimedPerSecond)} | {S(s.LastHeard)} | {N(s.PublishedPerSecond)} | {Ratio(s)} | {N(s.Heard)} | {N(s.Repeats)} | {P(s.Cpu.Busy)} | {P(s.Cpu.System)} | {P(s.Cpu.Other)} |");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Hangfire delayed jobs, {hangfire.Workers} workers | {N(hangfire.Jobs)} | — | {S(hangfire.Scheduling)} ({N(hangfire.ScheduledPerSecond)} scheduled/s) | — | {S(hangfire.LastHeard)} | {N(hangfire.PublishedPerSecond)} | 1.0× | {N(hangfire.Heard)} | {N(hangfire.Repeats)} | {P(hangfire.Cpu.Busy)} | {P(hangfire.Cpu.System)} | {P(hangfire.Cpu.Other)} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"The sweep: `TouchpointSweeper.Sweep` (batches of {TouchpointSweeper.BatchSize}, whole engagements under a transaction-scoped advisory lock, each alarm fired on its engagement and the due table synced in the same transaction) called from one task, then from two at once, on the service hosted in the bench with its recurring sweep off; every touchpoint was due before the sweep began and every engagement's EngagementScheduled was already on the broker. \"Last on the broker\" is from the first sweep call to the last TouchpointDue the bench's listener heard (the outbox publishes them); \"claimed/s\" counts the sweep calls alone. Hangfire: one `Schedule` per touchpoint, all due, before a server on Hangfire.PostgreSql (schema `{HangfireBaseline.Schema}` in the same database, the service's storage options: queue poll 1 s) starts with Hangfire's default worker count ({hangfire.Workers} here) and a schedule poll of {N(hangfire.SchedulePolling.TotalSeconds)} s (the default is 15 s, so this is generous to Hangfire); each job publishes one TouchpointDue through MassTransit. Timed from the server's start to the last message heard. Sizes differ ({N(two.Touchpoints)} against {N(hangfire.Jobs)}); the rates are per second.");
        text.AppendLine();

        text.AppendLine(CultureInfo.InvariantCulture, $"## Lateness: {N(late.Touchpoints)} touchpoints ({N(late.Engagements)} engagements × mentor and mentee reminders) due at one moment");
        text.AppendLine();
        text.AppendLine("| touchpoints | set-up | due after the set-up by | heard | repeats | first heard | last heard | p50 | p99 | max | CPU: machine | this system | other work |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {N(late.Touchpoints)} | {S(late.Setup)} | {S(late.Margin)} | {N(late.Heard)} | {N(late.Repeats)} | {S(late.FirstHeard)} | {S(late.LastHeard)} | {N(late.Percentile(0.5), "0.0")} s | {N(p99, "0.0")} s | {N(late.Percentile(1), "0.0")} s | {P(late.Cpu.Busy)} | {P(late.Cpu.System)} | {P(late.Cpu.Other)} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Lateness is the moment the bench's listener heard a TouchpointDue less its due time; first and last heard are after the due time. The service swept on its own Hangfire recurring job (`{TouchpointSweeps.Every15Seconds}`, two workers, also triggered at the next alarm's time by `NextAlarm`) on a host of its own; the bench did not sweep. Set-up: the engagements written and their EngagementScheduled on the broker, before the due time{(late.SetUpInTime ? "" : $" — **it overran the due time by {N(-late.Margin.TotalSeconds, "0.0")} s, so the lateness includes the bench's own set-up and is not a measurement**")}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"While the lateness round ran the system's CPU went to {string.Join(", ", late.Cpu.SystemProcesses.Select(p => $"{p.Process} {P(p.Share)}"))} (shares of all cores; the bench process holds the Scheduling service, its outbox and the listener){(late.Cpu.OtherProcesses.Count == 0 ? "" : $"; outside the system: {string.Join(", ", late.Cpu.OtherProcesses.Select(p => $"{p.Process} {P(p.Share)}"))}")}.");
        return text.ToString();
    }
}

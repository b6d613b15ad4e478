using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Torace.GatewayBench;

/// <summary>District A's calls in one phase.</summary>
public sealed record SyncResult(int People, int InFlight, TimeSpan Wall, IReadOnlyList<Sample> Answers)
{
    public int Count(int status) => Answers.Count(a => a.Status == status);
    public int Other => Answers.Count(a => a.Status is not (201 or 200 or 429));
    public double PerSecond => Answers.Count / Wall.TotalSeconds;
}

/// <summary>District B's calls in one phase, how busy the machine and this system were, and what A did meanwhile.</summary>
public sealed record Phase(string Name, IReadOnlyList<Sample> Neighbour, CpuUse Cpu, SyncResult? Sync)
{
    public double P(double p) => Latencies.Percentile(Neighbour, p);
    public double P(string operation, double p) => Latencies.Percentile([.. Neighbour.Where(s => s.Operation == operation)], p);
    public string Failures => string.Join(", ", Neighbour.Where(s => s.Status is < 200 or >= 300).GroupBy(s => s.Status).OrderBy(g => g.Key)
        .Select(g => $"{g.Count()} × {(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}")) is { Length: > 0 } f ? f : "none";

    /// <summary>Two phases of B alone as one baseline, one measured before A's syncs and one after, so drift evens out.</summary>
    public static Phase Pooled(string name, Phase before, Phase after) =>
        new(name, [.. before.Neighbour, .. after.Neighbour], CpuUse.Mean(before.Cpu, after.Cpu), null);
}

public sealed class Report
{
    public const double Target = 1.2;

    /// <summary>Other work on the machine, as a share of all cores, above which a phase's latencies are not this system's alone.</summary>
    const double SharedMachine = 0.10;
    readonly StringBuilder text = new();

    public string Text => text.ToString();

    public Report(DateTimeOffset started, TimeSpan startup, TimeSpan whole, Phase idleBefore, Phase idleAfter, Phase load, IReadOnlyList<Phase> lighter)
    {
        var sync = load.Sync!;
        var idle = Phase.Pooled("B alone, before and after (the baseline)", idleBefore, idleAfter);
        var ratio = load.P(99) / idle.P(99);
        var no429 = sync.Count(429) == 0 && sync.Other == 0;
        Line($"## Gateway rate limits — {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
        Line();
        Line($"The whole system through the AppHost, the gateway at its defaults ({Limits()}). District A enrols {sync.People:N0} people "
            + $"through single `POST …/enrolments` calls, {sync.InFlight} in flight; district B runs the same mix alone and meanwhile: "
            + $"{NeighbourWorkload.Callers} callers, one call each every {NeighbourWorkload.Interval.TotalMilliseconds:0} ms on a fixed schedule, "
            + "rotating GET program / GET enrolments (first page of 50) / POST enrolment of a new person, each phase on a fresh program of B's. "
            + "B's calls count while A's are in flight; B alone is measured before and after A's syncs and pooled as the baseline; "
            + "a warm-up is not measured, and each phase waits until the system is quiet again.");
        Line();
        Line("| target | measured | result |");
        Line("|---|---|---|");
        Line($"| A: {sync.People:N0} single enrolments {sync.InFlight} at a time, no 429 | {sync.Count(429)} × 429, {sync.Other} other, "
            + $"{sync.Count(201):N0} × 201 | {(no429 ? "PASS" : "FAIL")} |");
        Line($"| B: p99 while A syncs ≤ {Target:0.0} × p99 alone | {ratio:0.00}× ({load.P(99):0.0} ms against {idle.P(99):0.0} ms) | "
            + $"{(ratio <= Target ? "PASS" : "FAIL")} |");
        Line();
        Line("District A (with more than the gateway's concurrent places in flight, the rest wait in A's own queue there):");
        Line();
        Line("| phase | people | in flight | wall time | enrolments/s | 201 | 200 | 429 | other | p50 | p99 |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var phase in lighter.Prepend(load))
        {
            var s = phase.Sync!;
            Line($"| {phase.Name} | {s.People:N0} | {s.InFlight} | {s.Wall.TotalSeconds:0.0} s | {s.PerSecond:0} | {s.Count(201):N0} | {s.Count(200):N0} | "
                + $"{s.Count(429):N0} | {s.Other:N0} | {Latencies.Percentile(s.Answers, 50):0.0} ms | {Latencies.Percentile(s.Answers, 99):0.0} ms |");
        }
        Line();
        Line("District B (latency in ms; × alone is against the baseline):");
        Line();
        Line("| phase | calls | CPU busy: machine | this system | other work | steal | p50 | p95 | p99 | p99 × alone | "
            + string.Join(" | ", NeighbourWorkload.Operations.Select(o => $"{o} p99")) + " | not 2xx |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + string.Concat(NeighbourWorkload.Operations.Select(_ => "---:|")) + "---|");
        var phases = lighter.Prepend(load).Prepend(idleBefore).Append(idleAfter).Append(idle).ToList();
        foreach (var phase in phases)
        {
            Line($"| {phase.Name} | {phase.Neighbour.Count:N0} | {phase.Cpu.Busy:P0} | {phase.Cpu.System:P0} | {phase.Cpu.Other:P0} | {phase.Cpu.Steal:P0} | {phase.P(50):0.0} | {phase.P(95):0.0} | "
                + $"{phase.P(99):0.0} | {phase.P(99) / idle.P(99):0.00}× | " + string.Join(" | ", NeighbourWorkload.Operations.Select(o => $"{phase.P(o, 99):0.0}"))
                + $" | {phase.Failures} |");
        }
        Line();
        Line($"CPU busy is the share of all {Environment.ProcessorCount} cores (the machine's includes interrupts and steal, the time the hypervisor gave to other machines); "
            + "\"this system\" counts the bench's callers and every process Aspire started for the run, \"other work\" every other process. "
            + $"While A synced {sync.InFlight} in flight the system's CPU went to "
            + string.Join(", ", load.Cpu.SystemProcesses.Select(p => $"{p.Process} {p.Share:P0}")) + ".");
        var busyElsewhere = phases.Where(p => p.Sync is not null || p == idleBefore || p == idleAfter)
            .Where(p => p.Cpu.Other >= SharedMachine).ToList();
        if (busyElsewhere.Count > 0)
        {
            Line();
            Line($"**The machine was shared**: other work took {SharedMachine:P0} of it or more in a measured phase, so B's latencies "
                + "there measure that work too. Other work (processes that ended within a phase are not named): "
                + string.Join("; ", busyElsewhere.Select(p => $"{p.Name} {p.Cpu.Other:P0} ("
                    + string.Join(", ", p.Cpu.OtherProcesses.Select(o => $"{o.Process} {o.Share:P0}")) + ")")) + ".");
        }
        Line();
        Line($"System start {startup.TotalSeconds:0} s; whole run {whole.TotalSeconds:0} s.");
    }

    void Line(string line = "") => text.AppendLine(line);

    static string Limits()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository, "src", "Torace.Gateway", "appsettings.json")));
        var limits = settings.RootElement.GetProperty("Gateway").GetProperty("RateLimit");
        return $"{limits.GetProperty("PermitsPerSecond")} requests/s with bursts of {limits.GetProperty("Burst")}, "
            + $"{limits.GetProperty("MaxConcurrent")} served at once and {limits.GetProperty("QueueLimit")} queued per district; "
            + $"writes paced at {limits.GetProperty("WritesPerSecond")}/s with bursts of {limits.GetProperty("WriteBurst")} and {limits.GetProperty("WriteQueueLimit")} waiting";
    }

    public static string Repository { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Torace.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}

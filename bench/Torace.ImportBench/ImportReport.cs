using System.Globalization;
using System.Text;

namespace Torace.ImportBench;

/// <summary>The import bench's markdown: the targets first, then each measurement with its ratio against the baseline measured in the same run.</summary>
public static class ImportReport
{
    public const double ImportTarget = 1_000;
    public const double AppendTarget = 0.60;
    public const double ReadTarget = 50;
    /// <summary>"Flat as enrolments grow": p99 at 10,000 at most this many times p99 at 100.</summary>
    public const double FlatTarget = 2.0;

    static string N(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
    static string S(TimeSpan? time) => time is { } t ? $"{N(t.TotalSeconds, "0.0")} s" : "never (gave up)";

    public static string Write(DateTimeOffset started, TimeSpan startup, TimeSpan whole, Throughput import, Throughput singles,
        IReadOnlyList<ReadLatency> reads, IReadOnlyList<AppendRate> appends)
    {
        var text = new StringBuilder();
        var marten = appends[0];
        var sameRows = appends[1];
        var oneRow = appends[2];
        var largest = reads[^1];
        var smallest = reads[0];
        string Pass(bool ok) => ok ? "PASS" : "FAIL";

        text.AppendLine(CultureInfo.InvariantCulture, $"# Import bench ({started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, system up in {N(startup.TotalSeconds)} s, whole run {N(whole.TotalSeconds)} s)");
        text.AppendLine();
        text.AppendLine("| target | measured | result |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| import end to end (request sent → Matching holds every candidate) ≥ {N(ImportTarget)} participants/s | {N(import.PerSecond)}/s ({(import.Held is null ? $"Matching held only {N(import.HeldCount)} of {N(import.People)}" : $"{N(import.People)} in {S(import.Held)}")}; {N(import.PerSecond / singles.PerSecond, "0.00")}× single calls) | {Pass(import.Held is not null && import.PerSecond >= ImportTarget && import.Failures == 0)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Marten appends ≥ {N(AppendTarget * 100)} % of raw Npgsql inserts of the same rows | {N(marten.PerSecond / sameRows.PerSecond * 100)} % ({N(marten.PerSecond)}/s against {N(sameRows.PerSecond)}/s) | {Pass(marten.PerSecond >= AppendTarget * sameRows.PerSecond)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| GET program with {N(largest.Enrolments)} enrolments p99 < {N(ReadTarget)} ms | {N(largest.P99, "0.0")} ms | {Pass(largest.P99 < ReadTarget)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| … and flat: p99 at {N(largest.Enrolments)} ≤ {N(FlatTarget, "0.0")}× p99 at {N(smallest.Enrolments)} | {N(largest.P99 / smallest.P99, "0.00")}× | {Pass(largest.P99 <= FlatTarget * smallest.P99)} |");
        text.AppendLine();

        text.AppendLine("## Enrolling a program's people end to end, through the gateway");
        text.AppendLine();
        text.AppendLine("| way | people | last answer | written | Matching holds all | participants/s (end to end) | written/s | × single calls | not enrolled |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in new[] { import, singles })
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {t.Name} | {N(t.People)} | {S(t.Answered)} | {S(t.Written)} | {(t.Held is null ? $"only {N(t.HeldCount)}, the last at {S(t.LastArrival)}, then none for 60 s" : S(t.Held))} | {N(t.PerSecond)} | {N(t.WrittenPerSecond)} | {N(t.PerSecond / singles.PerSecond, "0.00")}× | {t.Failures}{(t.Note is null ? "" : $" ({t.Note})")} |");
        }
        text.AppendLine();

        text.AppendLine("## Marten appends against raw Npgsql inserts (the bench's PostgreSQL, 10,000 enrolments a round, batches of 500, median of 3 rounds)");
        text.AppendLine();
        text.AppendLine("| writer | rows/s | median round | rounds | × raw, same rows |");
        text.AppendLine("|---|---:|---:|---|---:|");
        foreach (var a in appends)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {a.Name} | {N(a.PerSecond)} | {N(a.Median.TotalSeconds, "0.00")} s | {string.Join(", ", a.Rounds.Select(r => N(r.TotalSeconds, "0.00")))} s | {N(a.PerSecond / sameRows.PerSecond, "0.00")}× |");
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Against one row per enrolment Marten writes at {N(marten.PerSecond / oneRow.PerSecond * 100)} % of raw.");
        text.AppendLine();

        text.AppendLine("## GET /api/v1/programs/{id} as enrolments grow (one call at a time, after 20 warm-up calls)");
        text.AppendLine();
        text.AppendLine("| enrolments | calls | p50 | p99 | max | p99 × at 100 |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var r in reads)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {N(r.Enrolments)} | {r.Calls} | {N(r.P50, "0.0")} ms | {N(r.P99, "0.0")} ms | {N(r.Max, "0.0")} ms | {N(r.P99 / smallest.P99, "0.00")}× |");
        }
        return text.ToString();
    }
}

using System.Globalization;
using System.Text;
using Torace.Bench.Scenarios;
using Torace.Matching.Engine;

namespace Torace.Bench;

/// <summary>The markdown the run prints and keeps in bench/results/latest.md.</summary>
public sealed class Report
{
    readonly StringBuilder text = new();

    public string Text => text.ToString();

    public void Line(string line = "")
    {
        text.AppendLine(line);
        Console.WriteLine(line);
    }

    public void Size(string title, IReadOnlyList<Measurement> rows, string baselineEngine = Engines.Baseline)
    {
        var baseline = rows.FirstOrDefault(r => r.Engine == baselineEngine && r.Error is null);
        Line($"### {title}");
        Line();
        Line($"| engine | wall time | × {baselineEngine} | peak memory | matched | vs {baselineEngine} | total cost | cost per match | × {baselineEngine} | validation |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            if (r.Error is not null)
            {
                Line($"| {r.Engine} | {r.Error} | | | | | | | | |");
                continue;
            }
            string Ratio(double ours, double theirs) => theirs == 0 ? "–" : (ours / theirs).ToString("0.00", CultureInfo.InvariantCulture) + "×";
            var valid = r.Violations == 0 ? "every rule holds" : $"{r.Violations} violations, e.g. {r.FirstViolation}";
            Line(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Engine} | {r.WallSeconds:0.00} s | {Ratio(r.WallSeconds, baseline?.WallSeconds ?? 0)} | {r.PeakMemoryMb:0} MB (input {r.InputMemoryMb:0}) | {r.Matched:N0} | {(baseline is null ? "–" : $"{r.Matched - baseline.Matched:+#,0;-#,0;0}")} | {r.TotalCost:N0} | {r.CostPerMatch:0.0} | {Ratio(r.CostPerMatch, baseline?.CostPerMatch ?? 0)} | {valid} |"));
        }
        Line();
    }

    /// <summary>The issue's target: 50,000 × 10,000 within 10 s and 1 GB, at least greedy's count, a lower cost per match.</summary>
    public void Target(IReadOnlyList<Measurement> rows)
    {
        var ours = rows.FirstOrDefault(r => r.Engine == MatchingEngine.Name);
        var greedy = rows.FirstOrDefault(r => r.Engine == Engines.Baseline);
        if (ours is null || greedy is null || ours.Error is not null || greedy.Error is not null)
        {
            Line("Target 50,000 × 10,000: not measured.");
            return;
        }
        var checks = new[]
        {
            ($"≤ 10 s ({ours.WallSeconds:0.00} s)", ours.WallSeconds <= 10),
            ($"≤ 1 GB ({ours.PeakMemoryMb:0} MB)", ours.PeakMemoryMb <= 1024),
            ($"matched ≥ greedy ({ours.Matched:N0} vs {greedy.Matched:N0})", ours.Matched >= greedy.Matched),
            ($"cost per match < greedy ({ours.CostPerMatch:0.0} vs {greedy.CostPerMatch:0.0})", ours.CostPerMatch < greedy.CostPerMatch),
            ("every output valid", ours.Violations == 0),
        };
        Line(string.Create(CultureInfo.InvariantCulture,
            $"Target 50,000 × 10,000: {(checks.All(c => c.Item2) ? "PASS" : "FAIL")} — {string.Join("; ", checks.Select(c => (c.Item2 ? "✓ " : "✗ ") + c.Item1))}"));
        Line();
    }

    public void SchoolYear(IReadOnlyList<SchoolYear.Outcome> outcomes)
    {
        Line($"### Load spreading over a school year ({Scenarios.SchoolYear.Programs} programs, a pool of {Scenarios.SchoolYear.PoolSize:N0} mentors)");
        Line();
        Line("| engine | mentees matched | mentors used | share carried by the busiest 10% | Gini of mentor loads | most carried by one mentor |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (var o in outcomes)
        {
            Line(string.Create(CultureInfo.InvariantCulture,
                $"| {o.Engine} | {o.Matched:N0} | {o.MentorsUsed:N0} | {o.BusiestTenthShare:P1} | {o.Gini:0.000} | {o.MostCarried} |"));
        }
        Line();
    }
}

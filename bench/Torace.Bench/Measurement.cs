using System.Diagnostics;
using System.Text.Json;
using Torace.Bench.Scenarios;
using Torace.Matching.Engine;

namespace Torace.Bench;

/// <summary>One engine on one district, measured in a process of its own so its peak memory is its own.</summary>
public sealed record Measurement(
    string Engine,
    string Scenario,
    int Mentees,
    int Mentors,
    double WallSeconds,
    double PeakMemoryMb,
    double InputMemoryMb,
    int Matched,
    long TotalCost,
    int Violations,
    string? FirstViolation,
    string? Error = null,
    int MenteesWithoutMeeting = 0)
{
    public double CostPerMatch => Matched == 0 ? 0 : (double)TotalCost / Matched;

    /// <summary>In the child: generate, run timed, read the peak resident set, then validate (not timed).</summary>
    public static Measurement Run(string engine, string scenario, int mentees, int mentors, int seed)
    {
        var problem = HardDistricts.Create(scenario, mentees, mentors, seed);
        GC.Collect();
        var input = ResidentMb("VmRSS");
        var watch = Stopwatch.StartNew();
        var result = Engines.Named(engine)(problem);
        watch.Stop();
        var peak = ResidentMb("VmHWM");
        var violations = MatchingValidator.Violations(problem, result);
        var met = result.Proposals.SelectMany(p => p.MenteeIds).ToHashSet();
        return new Measurement(engine, scenario, mentees, mentors, watch.Elapsed.TotalSeconds, peak, input, result.MatchedMentees, result.TotalCost,
            violations.Count, violations.FirstOrDefault(), MenteesWithoutMeeting: problem.Mentees.Count(m => !met.Contains(m.Id)));
    }

    /// <summary>In the parent: start the child, wait at most <paramref name="timeout"/>, read its one JSON line.</summary>
    public static async Task<Measurement> InChild(string engine, string scenario, int mentees, int mentors, int seed, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "one", engine, scenario, $"{mentees}", $"{mentors}", $"{seed}" })
        {
            start.ArgumentList.Add(arg);
        }
        if (!Environment.ProcessPath!.EndsWith("Torace.Bench", StringComparison.Ordinal))
        {
            start.ArgumentList.Insert(0, typeof(Measurement).Assembly.Location);
        }
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await child.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            return Failed(engine, scenario, mentees, mentors, $"timed out after {timeout.TotalMinutes:0} min");
        }
        var line = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return child.ExitCode == 0 && line is not null
            ? JsonSerializer.Deserialize<Measurement>(line)!
            : Failed(engine, scenario, mentees, mentors, $"exit {child.ExitCode}: {(await errors).Split('\n').FirstOrDefault()}");
    }

    static Measurement Failed(string engine, string scenario, int mentees, int mentors, string error) =>
        new(engine, scenario, mentees, mentors, 0, 0, 0, 0, 0, 0, null, error);

    static double ResidentMb(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}

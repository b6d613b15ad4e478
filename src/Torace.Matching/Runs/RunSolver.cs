using System.Diagnostics;
using System.Diagnostics.Metrics;
using Torace.Matching.Engine;
using Torace.Matching.Problems;

namespace Torace.Matching.Runs;

/// <summary>
/// The one place the service calls the engine: traced (a "matching.solve" span with the problem's size and the
/// outcome) and measured (run duration, mentees matched and left waiting, by trigger) for operations.
/// </summary>
public static class RunSolver
{
    static readonly ActivitySource Source = new("Torace");
    static readonly Meter Meter = new("Torace");
    static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("torace.matching.run.duration", "s", "Time the engine took to solve a run.");
    static readonly Counter<long> Matched = Meter.CreateCounter<long>("torace.matching.mentees.matched", description: "Mentees placed by runs and placements.");
    static readonly Counter<long> Waiting = Meter.CreateCounter<long>("torace.matching.mentees.unmatched", description: "Mentees a run or placement left waiting.");

    public static (MatchingResult Result, double Seconds) Solve(ProblemContext context, string trigger)
    {
        using var activity = Source.StartActivity("matching.solve");
        activity?.SetTag("torace.program", context.Program.Id);
        activity?.SetTag("torace.trigger", trigger);
        activity?.SetTag("torace.mentors", context.Problem.Mentors.Count);
        activity?.SetTag("torace.mentees", context.Problem.Mentees.Count);
        var watch = Stopwatch.StartNew();
        var result = MatchingEngine.Match(context.Problem);
        var seconds = watch.Elapsed.TotalSeconds;
        activity?.SetTag("torace.matched", result.MatchedMentees);
        activity?.SetTag("torace.unmatched", result.Unmatched.Count);
        var tags = new TagList { { "trigger", trigger } };
        Duration.Record(seconds, tags);
        Matched.Add(result.MatchedMentees, tags);
        Waiting.Add(result.Unmatched.Count, tags);
        return (result, seconds);
    }
}

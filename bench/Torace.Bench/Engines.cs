using Torace.Matching.Engine;
using Torace.Matching.Engine.Baselines;

namespace Torace.Bench;

/// <summary>The matchers compared: ours and the two baselines, by the names the report uses.</summary>
public static class Engines
{
    public static readonly IReadOnlyDictionary<string, Func<MatchingProblem, MatchingResult>> All = new Dictionary<string, Func<MatchingProblem, MatchingResult>>
    {
        [MatchingEngine.Name] = MatchingEngine.Match,
        [GreedyMatcher.Name] = GreedyMatcher.Match,
        [StableMatcher.Name] = StableMatcher.Match,
    };

    public const string Baseline = GreedyMatcher.Name;

    /// <summary>Our engine one round at a time: the baseline for a speed-mentoring event solved whole.</summary>
    public const string RoundByRound = "round-by-round";

    public static Func<MatchingProblem, MatchingResult> Named(string engine) =>
        engine == RoundByRound ? MatchingEngine.RoundByRound : All[engine];
}

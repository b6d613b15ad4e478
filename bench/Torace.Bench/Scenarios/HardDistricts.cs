using Torace.Matching.Engine;

namespace Torace.Bench.Scenarios;

/// <summary>
/// The standard district bent where matchers struggle: must-haves that cut most pairs, far fewer places than mentees
/// (so the proof that nobody more can be matched searches the whole graph), and cross-site groups under a district
/// limit. Each is the generated district with one change, so its rows read against the standard ones.
/// </summary>
public static class HardDistricts
{
    public const string Standard = "standard";

    public sealed record Shape(string Description, Func<MatchingProblem, MatchingProblem> Apply);

    public static readonly IReadOnlyDictionary<string, Shape> All = new Dictionary<string, Shape>
    {
        ["must-haves"] = new("topic, availability and same site are musts (weight 10)",
            p => p with { Weights = p.Weights with { Topic = MatchingWeights.Must, Availability = MatchingWeights.Must, SameSite = MatchingWeights.Must } }),
        ["scarce-places"] = new("mentors offer 1–3 places, for about 40 % of the mentees",
            p => p with { Mentors = [.. p.Mentors.Select((m, i) => m with { Capacity = 1 + i % 3 })] }),
        ["cross-site-groups"] = new("other sites only, groups of up to 3, at most 6 concurrent mentees per mentor in the district",
            p => p with { Pool = p.Pool with { Sites = "other", GroupSize = 3, MaxConcurrentMentees = 6 } }),
    };

    /// <summary>
    /// A speed-mentoring evening: three rounds, one mentee per mentor per round, nobody meets twice, and three times
    /// as many mentees as mentors, so a fair evening gives each mentee one meeting.
    /// </summary>
    public const string SpeedEvent = "speed-event";

    public const int SpeedRounds = 3;

    public static MatchingProblem Create(string scenario, int mentees, int mentors, int seed)
    {
        var problem = DistrictGenerator.Create(mentees, mentors, seed);
        return scenario switch
        {
            Standard => problem,
            SpeedEvent => problem with { Rounds = SpeedRounds },
            _ => All[scenario].Apply(problem),
        };
    }
}

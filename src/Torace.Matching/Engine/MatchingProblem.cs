namespace Torace.Matching.Engine;

/// <summary>
/// A person the engine can place, as enrolled in one program. <see cref="Capacity"/> counts the mentees a mentor may
/// still take in this program (mentors only). <see cref="Availability"/> is a bit set of weekly slots (0 = not given);
/// <see cref="Requests"/> names the mentors (by external id) a mentee asked for.
/// </summary>
public sealed record Person(
    Guid Id,
    string ExternalId,
    string Site,
    IReadOnlyList<string> Topics,
    string Modality,
    int Capacity = 0,
    string JobRole = "",
    int YearsExperience = 0,
    int UtcOffsetMinutes = 0,
    long Availability = 0,
    IReadOnlyList<string>? Requests = null);

/// <summary>Who may be matched with whom in a program. Filters that are empty let everybody in.</summary>
public sealed record PoolRules(string Sites = "any", int GroupSize = 1)
{
    public IReadOnlyList<string> MentorRoles { get; init; } = [];
    public IReadOnlyList<string> MenteeRoles { get; init; } = [];
    public IReadOnlyList<string> IncludedSites { get; init; } = [];

    /// <summary>Pairs (mentor external id, mentee external id) the coordinator ruled out.</summary>
    public IReadOnlyList<PersonPair> Exclusions { get; init; } = [];

    /// <summary>No pair that already met in the district's history is proposed again.</summary>
    public bool NoRepeatPairing { get; init; }

    /// <summary>How many mentees a mentor may have at once across every running program; null = no district limit.</summary>
    public int? MaxConcurrentMentees { get; init; }
}

public readonly record struct PersonPair(string Mentor, string Mentee);

/// <summary>Coordinator weights, 0 (ignore) to 10 (must: a pair failing the factor is not eligible).</summary>
public sealed record MatchingWeights(
    int Topic = 6,
    int CrossSite = 0,
    int SameSite = 0,
    int LoadSpreading = 5,
    int RoleFit = 2,
    int Availability = 3,
    int Requests = 5)
{
    public const int Must = 10;

    public static readonly IReadOnlyList<string> Factors = ["topic", "crossSite", "sameSite", "loadSpreading", "roleFit", "availability", "requests"];

    public static MatchingWeights From(IReadOnlyDictionary<string, int>? weights)
    {
        var w = new MatchingWeights();
        if (weights is null)
        {
            return w;
        }
        int Get(string name, int fallback) => weights.TryGetValue(name, out var v) ? Math.Clamp(v, 0, Must) : fallback;
        return new MatchingWeights(Get("topic", w.Topic), Get("crossSite", w.CrossSite), Get("sameSite", w.SameSite),
            Get("loadSpreading", w.LoadSpreading), Get("roleFit", w.RoleFit), Get("availability", w.Availability), Get("requests", w.Requests));
    }
}

/// <summary>A mentor's load in the district: mentees matched before (the school year) and mentees they have now.</summary>
public readonly record struct MentorLoad(int PastMentees, int CurrentMentees);

/// <summary>What the district's history says about people: mentor loads, pairs that met, pairs that declined.</summary>
public sealed record MatchingHistory
{
    public static readonly MatchingHistory Empty = new();

    public IReadOnlyDictionary<string, MentorLoad> Loads { get; init; } = new Dictionary<string, MentorLoad>();
    public IReadOnlySet<PersonPair> PastPairs { get; init; } = new HashSet<PersonPair>();
    public IReadOnlySet<PersonPair> DeclinedPairs { get; init; } = new HashSet<PersonPair>();

    public MentorLoad LoadOf(string mentorExternalId) => Loads.TryGetValue(mentorExternalId, out var load) ? load : default;
}

/// <summary>
/// One matching problem. <see cref="Rounds"/> above 1 is speed mentoring: every round is a fresh matching and no pair
/// meets twice. <see cref="CandidatesPerMentee"/> bounds the sparse candidate graph (0 = choose by size), and
/// <see cref="ArcsPerPlace"/> is how many arcs each mentor gets per place it offers (tests set both low to make the
/// widening do the work).
/// </summary>
public sealed record MatchingProblem(
    PoolRules Pool,
    MatchingWeights Weights,
    IReadOnlyList<Person> Mentors,
    IReadOnlyList<Person> Mentees)
{
    public MatchingHistory History { get; init; } = MatchingHistory.Empty;
    public int Rounds { get; init; } = 1;
    public int CandidatesPerMentee { get; init; }
    public int ArcsPerPlace { get; init; } = 3;
}

/// <summary>One reason a proposal was made: the factor, the coordinator's weight and what was found.</summary>
public sealed record MatchFactor(string Name, int Weight, int Cost, string Detail);

public sealed record Proposal(Guid MentorId, IReadOnlyList<Guid> MenteeIds, double Score, IReadOnlyList<string> Reasons)
{
    /// <summary>Speed-mentoring round (1-based); 1 for every other program.</summary>
    public int Round { get; init; } = 1;

    public IReadOnlyList<MatchFactor> Factors { get; init; } = [];
}

public sealed record Unmatched(Guid EnrolmentId, string Reason)
{
    public int Round { get; init; } = 1;
}

public sealed record MatchingResult(IReadOnlyList<Proposal> Proposals, IReadOnlyList<Unmatched> Unmatched)
{
    /// <summary>The objective: pair costs plus the load-spreading penalty, as <see cref="MatchingCost"/> computes it.</summary>
    public long TotalCost { get; init; }

    public int MatchedMentees => Proposals.Sum(p => p.MenteeIds.Count);
}

public static class UnmatchedReasons
{
    public const string NoEligibleMentor = "no-eligible-mentor-in-pool";
    public const string CapacityExhausted = "capacity-exhausted";
    public const string TopicNotCovered = "topic-not-covered";
    public const string OutsidePool = "outside-pool";
}

namespace Torace.Matching.Engine;

/// <summary>
/// The matching rules as a coordinator reads them, one person or pair at a time. This is the definition: the solver's
/// compiled form (<see cref="CompiledProblem"/>) must agree with it, and <see cref="MatchingValidator"/> checks every
/// output against it.
/// </summary>
public static class Rules
{
    /// <summary>Each factor costs 0 (perfect) to <see cref="FactorScale"/> (fails entirely) before weighting.</summary>
    public const int FactorScale = 100;

    /// <summary>Load spreading: each mentee a mentor already has adds this much (times the weight) to the next one.</summary>
    public const int LoadStep = 8;

    /// <summary>Past this load the penalty stops growing, so costs stay small integers.</summary>
    public const int LoadCap = 60;

    public static bool InPool(PoolRules pool, Person person, bool isMentor)
    {
        var roles = isMentor ? pool.MentorRoles : pool.MenteeRoles;
        return (roles.Count == 0 || roles.Contains(person.JobRole, StringComparer.OrdinalIgnoreCase))
            && (pool.IncludedSites.Count == 0 || pool.IncludedSites.Contains(person.Site, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Why this pair may not be matched, or null when it may.</summary>
    public static string? Ineligibility(MatchingProblem problem, Person mentor, Person mentee)
    {
        var pool = problem.Pool;
        var pair = new PersonPair(mentor.ExternalId, mentee.ExternalId);
        if (SamePerson(mentor, mentee))
        {
            return "the same person";
        }
        if (!InPool(pool, mentor, isMentor: true) || !InPool(pool, mentee, isMentor: false))
        {
            return "outside the pool's role or site filters";
        }
        if (!SitesAllow(pool.Sites, mentor.Site, mentee.Site))
        {
            return pool.Sites == "same" ? "the pool matches within a site only" : "the pool matches across sites only";
        }
        if (!ModalitiesMeet(mentor, mentee))
        {
            return "their modalities do not meet (in-person needs the same site; virtual never meets in-person)";
        }
        if (pool.Exclusions.Contains(pair))
        {
            return "the coordinator excluded this pair";
        }
        if (problem.History.DeclinedPairs.Contains(pair))
        {
            return "this pair was declined before";
        }
        if (pool.NoRepeatPairing && problem.History.PastPairs.Contains(pair))
        {
            return "this pair met before and the program asks for no repeats";
        }
        var failedMust = Factors(problem.Weights, mentor, mentee)
            .FirstOrDefault(f => f.Weight == MatchingWeights.Must && f.Cost >= FactorScale);
        return failedMust is null ? null : $"fails the must-have factor {failedMust.Name}: {failedMust.Detail}";
    }

    public static bool SamePerson(Person mentor, Person mentee) =>
        string.Equals(mentor.ExternalId, mentee.ExternalId, StringComparison.OrdinalIgnoreCase);

    public static bool SitesAllow(string rule, string mentorSite, string menteeSite) => rule switch
    {
        "same" => SameSite(mentorSite, menteeSite),
        "other" => !SameSite(mentorSite, menteeSite),
        _ => true,
    };

    /// <summary>Virtual and in-person never meet; anyone meeting in person must share a site.</summary>
    public static bool ModalitiesMeet(Person mentor, Person mentee) => (mentor.Modality, mentee.Modality) switch
    {
        ("virtual", "in-person") or ("in-person", "virtual") => false,
        ("in-person", _) or (_, "in-person") => SameSite(mentor.Site, mentee.Site),
        _ => true,
    };

    public static bool SameSite(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>The soft factors of a pair, each with its weight and unweighted cost (0–100).</summary>
    public static IReadOnlyList<MatchFactor> Factors(MatchingWeights w, Person mentor, Person mentee)
    {
        var shared = SharedTopics(mentor, mentee);
        var named = mentee.Topics.Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var topicCost = named == 0 ? 0 : FactorScale * (named - shared.Count) / named;
        var sameSite = SameSite(mentor.Site, mentee.Site);
        var roleCost = RoleCost(mentor, mentee);
        var availabilityCost = AvailabilityCost(mentor, mentee);
        var requested = mentee.Requests is not { Count: > 0 } || mentee.Requests.Contains(mentor.ExternalId, StringComparer.OrdinalIgnoreCase);
        return
        [
            new("topic", w.Topic, topicCost, shared.Count > 0 ? $"shares {string.Join(", ", shared)}" : named == 0 ? "mentee named no topic" : "no shared topic"),
            new("crossSite", w.CrossSite, sameSite ? FactorScale : 0, sameSite ? $"same site ({mentee.Site})" : $"{mentor.Site} mentors {mentee.Site}"),
            new("sameSite", w.SameSite, sameSite ? 0 : FactorScale, sameSite ? $"same site ({mentee.Site})" : $"{mentor.Site} mentors {mentee.Site}"),
            new("roleFit", w.RoleFit, roleCost, RoleDetail(mentor, mentee)),
            new("availability", w.Availability, availabilityCost, AvailabilityDetail(mentor, mentee)),
            new("requests", w.Requests, requested ? 0 : FactorScale, mentee.Requests is not { Count: > 0 } ? "no request" : requested ? "requested by the mentee" : "mentee asked for someone else"),
        ];
    }

    public static int PairCost(MatchingWeights w, Person mentor, Person mentee) =>
        Factors(w, mentor, mentee).Sum(f => f.Weight * f.Cost);

    /// <summary>The convex load-spreading penalty for a mentor's next mentee, given the mentees they already carry.</summary>
    public static int LoadMarginal(int weight, int carried) => weight * LoadStep * Math.Min(carried, LoadCap);

    /// <summary>Mentees a mentor may still take: the program capacity, cut by the district's concurrent limit.</summary>
    public static int EffectiveCapacity(PoolRules pool, Person mentor, MentorLoad load) =>
        Math.Max(0, pool.MaxConcurrentMentees is { } limit ? Math.Min(mentor.Capacity, limit - load.CurrentMentees) : mentor.Capacity);

    public static IReadOnlyList<string> SharedTopics(Person mentor, Person mentee) =>
        [.. mentee.Topics.Intersect(mentor.Topics, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];

    static int RoleCost(Person mentor, Person mentee) =>
        (mentor.JobRole.Length > 0 && mentee.JobRole.Length > 0 && !string.Equals(mentor.JobRole, mentee.JobRole, StringComparison.OrdinalIgnoreCase) ? 60 : 0)
        + (mentor.YearsExperience < mentee.YearsExperience ? 40 : 0);

    static string RoleDetail(Person mentor, Person mentee) =>
        (mentor.JobRole.Length == 0 || mentee.JobRole.Length == 0 ? "role not given"
            : string.Equals(mentor.JobRole, mentee.JobRole, StringComparison.OrdinalIgnoreCase) ? $"same role ({mentee.JobRole})"
            : $"{mentor.JobRole} mentors {mentee.JobRole}")
        + (mentor.YearsExperience < mentee.YearsExperience ? "; mentor has fewer years" : "");

    /// <summary>No shared weekly slot fails outright; otherwise every hour of time-zone difference costs 15.</summary>
    static int AvailabilityCost(Person mentor, Person mentee) =>
        mentor.Availability != 0 && mentee.Availability != 0 && (mentor.Availability & mentee.Availability) == 0
            ? FactorScale
            : Math.Min(FactorScale, 15 * Math.Abs(mentor.UtcOffsetMinutes - mentee.UtcOffsetMinutes) / 60);

    static string AvailabilityDetail(Person mentor, Person mentee)
    {
        var hours = Math.Abs(mentor.UtcOffsetMinutes - mentee.UtcOffsetMinutes) / 60.0;
        var slots = mentor.Availability == 0 || mentee.Availability == 0
            ? "availability not given"
            : $"{long.PopCount(mentor.Availability & mentee.Availability)} shared weekly slots";
        return $"{slots}; {hours:0.#} h apart";
    }
}

namespace Torace.Matching.Engine;

/// <summary>
/// A <see cref="MatchingProblem"/> turned into arrays of small integers, so the solver can test and cost millions of
/// pairs quickly. Every answer here must equal <see cref="Rules"/> (a property test holds it to that).
/// </summary>
internal sealed class CompiledProblem
{
    public const byte Virtual = 0, InPerson = 1, Either = 2;

    public MatchingProblem Problem { get; }
    public int MentorCount { get; }
    public int MenteeCount { get; }
    public int SiteCount { get; }
    public int TopicCount { get; }

    readonly int[] mentorSite, menteeSite, mentorRole, menteeRole, mentorYears, menteeYears, mentorOffset, menteeOffset, menteeTopicCount;
    readonly byte[] mentorModality, menteeModality;
    readonly long[] mentorAvailability, menteeAvailability;
    readonly ulong[] mentorTopics, menteeTopics;
    readonly int words;
    readonly bool[] mentorInPool, menteeInPool, menteeHasRequests;
    readonly HashSet<long> blocked = [];
    readonly HashSet<long> requested = [];
    readonly int[][] requestedMentors;
    readonly int wTopic, wCross, wSame, wRole, wAvailability, wRequests, wLoad;
    readonly bool anyMust;
    readonly int siteRule;

    /// <summary>Mentees each mentor may still take in this run.</summary>
    public int[] Capacity { get; }

    /// <summary>Mentees each mentor carries already (past and current), for the load-spreading penalty.</summary>
    public int[] Carried { get; }

    public CompiledProblem(MatchingProblem problem)
    {
        Problem = problem;
        var mentors = problem.Mentors;
        var mentees = problem.Mentees;
        MentorCount = mentors.Count;
        MenteeCount = mentees.Count;

        var sites = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var roles = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var topics = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int Intern(Dictionary<string, int> table, string value) =>
            table.TryGetValue(value, out var id) ? id : table[value] = table.Count;
        foreach (var topic in mentors.Concat(mentees).SelectMany(p => p.Topics))
        {
            Intern(topics, topic);
        }
        TopicCount = topics.Count;
        words = Math.Max(1, (topics.Count + 63) / 64);

        mentorSite = [.. mentors.Select(p => Intern(sites, p.Site))];
        menteeSite = [.. mentees.Select(p => Intern(sites, p.Site))];
        SiteCount = sites.Count;
        mentorRole = [.. mentors.Select(p => p.JobRole.Length == 0 ? -1 : Intern(roles, p.JobRole))];
        menteeRole = [.. mentees.Select(p => p.JobRole.Length == 0 ? -1 : Intern(roles, p.JobRole))];
        mentorYears = [.. mentors.Select(p => p.YearsExperience)];
        menteeYears = [.. mentees.Select(p => p.YearsExperience)];
        mentorOffset = [.. mentors.Select(p => p.UtcOffsetMinutes)];
        menteeOffset = [.. mentees.Select(p => p.UtcOffsetMinutes)];
        mentorModality = [.. mentors.Select(p => ModalityOf(p.Modality))];
        menteeModality = [.. mentees.Select(p => ModalityOf(p.Modality))];
        mentorAvailability = [.. mentors.Select(p => p.Availability)];
        menteeAvailability = [.. mentees.Select(p => p.Availability)];
        mentorTopics = TopicBits(mentors, topics);
        menteeTopics = TopicBits(mentees, topics);
        menteeTopicCount = [.. mentees.Select(p => p.Topics.Distinct(StringComparer.OrdinalIgnoreCase).Count())];
        mentorInPool = [.. mentors.Select(p => Rules.InPool(problem.Pool, p, isMentor: true))];
        menteeInPool = [.. mentees.Select(p => Rules.InPool(problem.Pool, p, isMentor: false))];
        menteeHasRequests = [.. mentees.Select(p => p.Requests is { Count: > 0 })];

        var w = problem.Weights;
        (wTopic, wCross, wSame, wRole, wAvailability, wRequests, wLoad) =
            (w.Topic, w.CrossSite, w.SameSite, w.RoleFit, w.Availability, w.Requests, w.LoadSpreading);
        anyMust = new[] { wTopic, wCross, wSame, wRole, wAvailability, wRequests }.Contains(MatchingWeights.Must);
        // A must-have same-site (or cross-site) weight is the same cut as the pool's site rule; treating it as one
        // lets the mentor index skip the other sites instead of testing and refusing every pair there.
        siteRule = (problem.Pool.Sites, wSame, wCross) switch
        {
            ("same", _, _) => 1,
            ("other", _, _) => 2,
            (_, MatchingWeights.Must, not MatchingWeights.Must) => 1,
            (_, not MatchingWeights.Must, MatchingWeights.Must) => 2,
            _ => 0,
        };

        Carried = [.. mentors.Select(m => problem.History.LoadOf(m.ExternalId) is var l ? l.PastMentees + l.CurrentMentees : 0)];
        Capacity = [.. mentors.Select(m => Rules.EffectiveCapacity(problem.Pool, m, problem.History.LoadOf(m.ExternalId)))];

        var mentorsByExternalId = mentors.Select((m, j) => (m.ExternalId, j)).ToLookup(x => x.ExternalId, x => x.j, StringComparer.OrdinalIgnoreCase);
        var menteesByExternalId = mentees.Select((m, e) => (m.ExternalId, e)).ToLookup(x => x.ExternalId, x => x.e, StringComparer.OrdinalIgnoreCase);
        void Block(IEnumerable<PersonPair> pairs, HashSet<long> into)
        {
            foreach (var pair in pairs)
            {
                foreach (var j in mentorsByExternalId[pair.Mentor])
                {
                    foreach (var e in menteesByExternalId[pair.Mentee])
                    {
                        into.Add(Key(j, e));
                    }
                }
            }
        }
        Block(mentees.Select(m => new PersonPair(m.ExternalId, m.ExternalId)), blocked);
        Block(problem.Pool.Exclusions, blocked);
        Block(problem.History.DeclinedPairs, blocked);
        if (problem.Pool.NoRepeatPairing)
        {
            Block(problem.History.PastPairs, blocked);
        }
        requestedMentors = [.. mentees.Select(m => (m.Requests ?? []).SelectMany(r => mentorsByExternalId[r]).Distinct().Order().ToArray())];
        for (var e = 0; e < mentees.Count; e++)
        {
            foreach (var j in requestedMentors[e])
            {
                requested.Add(Key(j, e));
            }
        }
    }

    static byte ModalityOf(string modality) => modality switch { "virtual" => Virtual, "in-person" => InPerson, _ => Either };

    ulong[] TopicBits(IReadOnlyList<Person> people, Dictionary<string, int> topics)
    {
        var bits = new ulong[people.Count * words];
        for (var i = 0; i < people.Count; i++)
        {
            foreach (var topic in people[i].Topics)
            {
                var t = topics[topic];
                bits[i * words + t / 64] |= 1UL << (t % 64);
            }
        }
        return bits;
    }

    static long Key(int mentor, int mentee) => ((long)mentor << 32) | (uint)mentee;

    public int MentorSite(int j) => mentorSite[j];
    public int MenteeSite(int e) => menteeSite[e];
    public byte MentorModality(int j) => mentorModality[j];
    public byte MenteeModality(int e) => menteeModality[e];
    public bool MentorInPool(int j) => mentorInPool[j];
    public bool MenteeInPool(int e) => menteeInPool[e];
    public int SiteRule => siteRule;

    public bool MentorHasTopic(int j, int topic) => (mentorTopics[j * words + topic / 64] & (1UL << (topic % 64))) != 0;
    public bool MenteeHasTopic(int e, int topic) => (menteeTopics[e * words + topic / 64] & (1UL << (topic % 64))) != 0;
    public bool MenteeNamedTopics(int e) => menteeTopicCount[e] > 0;

    /// <summary>The objective of an assignment: every pair's cost plus each mentor's load ladder.</summary>
    public long Cost(int[] mentorOf)
    {
        var assigned = new int[MentorCount];
        long cost = 0;
        for (var e = 0; e < mentorOf.Length; e++)
        {
            if (mentorOf[e] is var j and >= 0)
            {
                cost += PairCost(j, e) + LoadMarginal(j, assigned[j]++);
            }
        }
        return cost;
    }

    /// <summary>An assignment (mentor index per mentee, -1 for none) as proposals and unmatched mentees.</summary>
    public MatchingResult Result(MentorIndex index, int[] mentorOf) =>
        new([.. Explanations.Proposals(this, mentorOf, Math.Max(1, Problem.Pool.GroupSize), 1)],
            [.. Explanations.Unmatched(this, index, mentorOf, 1)]) { TotalCost = Cost(mentorOf) };

    public int[] RequestedMentors(int e) => requestedMentors[e];

    public void BlockPair(int mentor, int mentee) => blocked.Add(Key(mentor, mentee));

    /// <summary>The hard constraints, as <see cref="Rules.Ineligibility"/> states them.</summary>
    public bool Eligible(int j, int e)
    {
        if (!mentorInPool[j] || !menteeInPool[e])
        {
            return false;
        }
        var sameSite = mentorSite[j] == menteeSite[e];
        if ((siteRule == 1 && !sameSite) || (siteRule == 2 && sameSite))
        {
            return false;
        }
        var (a, b) = (mentorModality[j], menteeModality[e]);
        if ((a == Virtual && b == InPerson) || (a == InPerson && b == Virtual) || ((a == InPerson || b == InPerson) && !sameSite))
        {
            return false;
        }
        if (blocked.Count > 0 && blocked.Contains(Key(j, e)))
        {
            return false;
        }
        return !anyMust || PassesMusts(j, e, sameSite);
    }

    bool PassesMusts(int j, int e, bool sameSite) =>
        (wTopic != MatchingWeights.Must || TopicCost(j, e) < Rules.FactorScale)
        && (wCross != MatchingWeights.Must || !sameSite)
        && (wSame != MatchingWeights.Must || sameSite)
        && (wRole != MatchingWeights.Must || RoleCost(j, e) < Rules.FactorScale)
        && (wAvailability != MatchingWeights.Must || AvailabilityCost(j, e) < Rules.FactorScale)
        && (wRequests != MatchingWeights.Must || RequestCost(j, e) < Rules.FactorScale);

    /// <summary>The weighted soft cost of a pair, as <see cref="Rules.PairCost"/> states it.</summary>
    public int PairCost(int j, int e)
    {
        var sameSite = mentorSite[j] == menteeSite[e];
        var cost = 0;
        if (wTopic != 0) cost += wTopic * TopicCost(j, e);
        if (wCross != 0 && sameSite) cost += wCross * Rules.FactorScale;
        if (wSame != 0 && !sameSite) cost += wSame * Rules.FactorScale;
        if (wRole != 0) cost += wRole * RoleCost(j, e);
        if (wAvailability != 0) cost += wAvailability * AvailabilityCost(j, e);
        if (wRequests != 0) cost += wRequests * RequestCost(j, e);
        return cost;
    }

    /// <summary>The load-spreading penalty for mentor j's next mentee when the run already gave them <paramref name="assigned"/>.</summary>
    public int LoadMarginal(int j, int assigned) => Rules.LoadMarginal(wLoad, Carried[j] + assigned);

    public int TopicCost(int j, int e)
    {
        var count = menteeTopicCount[e];
        if (count == 0)
        {
            return 0;
        }
        var shared = 0;
        for (var w = 0; w < words; w++)
        {
            shared += System.Numerics.BitOperations.PopCount(mentorTopics[j * words + w] & menteeTopics[e * words + w]);
        }
        return Rules.FactorScale * (count - shared) / count;
    }

    int RoleCost(int j, int e) =>
        (mentorRole[j] >= 0 && menteeRole[e] >= 0 && mentorRole[j] != menteeRole[e] ? 60 : 0) + (mentorYears[j] < menteeYears[e] ? 40 : 0);

    int AvailabilityCost(int j, int e) =>
        mentorAvailability[j] != 0 && menteeAvailability[e] != 0 && (mentorAvailability[j] & menteeAvailability[e]) == 0
            ? Rules.FactorScale
            : Math.Min(Rules.FactorScale, 15 * Math.Abs(mentorOffset[j] - menteeOffset[e]) / 60);

    int RequestCost(int j, int e) => !menteeHasRequests[e] || requested.Contains(Key(j, e)) ? 0 : Rules.FactorScale;
}

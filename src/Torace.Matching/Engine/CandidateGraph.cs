namespace Torace.Matching.Engine;

/// <summary>
/// The sparse graph the flow is solved on: for each mentee, a few eligible mentors with their pair costs. Small
/// problems get every eligible pair; large ones the best <c>K</c> of a deterministic probe (own site, shared topics,
/// requests, lightest-loaded mentors). <see cref="Widen"/> adds pairs found later, so pruning never costs a match.
/// </summary>
internal sealed class CandidateGraph
{
    /// <summary>Below this many pairs the whole eligible graph is used.</summary>
    public const long FullGraphPairs = 400_000;

    const int DefaultCandidates = 8, SitePeek = 48, TopicPeek = 64, LoadPeek = 48;

    readonly List<(int Mentor, int Cost)>[] extra;

    public CompiledProblem Problem { get; }
    public int[][] Mentors { get; }
    public int[][] Costs { get; }

    public int ArcCount => Mentors.Sum(m => m.Length) + extra.Sum(x => x?.Count ?? 0);

    CandidateGraph(CompiledProblem problem, int[][] mentors, int[][] costs)
    {
        Problem = problem;
        Mentors = mentors;
        Costs = costs;
        extra = new List<(int, int)>[problem.MenteeCount];
    }

    /// <summary>The candidates of every mentee; <paramref name="everyPair"/> asks for the whole eligible graph at any size.</summary>
    public static CandidateGraph Build(CompiledProblem problem, MentorIndex index, bool everyPair = false)
    {
        var n = problem.MenteeCount;
        var mentors = new int[n][];
        var costs = new int[n][];
        var full = everyPair || ((long)problem.MentorCount * n <= FullGraphPairs && problem.Problem.CandidatesPerMentee == 0);
        var k = problem.Problem.CandidatesPerMentee > 0 ? problem.Problem.CandidatesPerMentee : DefaultCandidates;

        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new Probe(problem),
            (e, _, probe) =>
            {
                probe.Start(e, full ? int.MaxValue : k);
                if (full)
                {
                    foreach (var list in index.ListsFor(e))
                    {
                        probe.Scan(list, 0, list.Length);
                    }
                }
                else
                {
                    var seed = Mix(e);
                    foreach (var list in index.OwnSiteListsFor(e))
                    {
                        probe.Scan(list, seed, SitePeek);
                    }
                    for (var t = 0; t < problem.TopicCount; t++)
                    {
                        if (problem.MenteeHasTopic(e, t))
                        {
                            probe.Scan(index.ByTopic[t], seed, TopicPeek);
                        }
                    }
                    foreach (var j in problem.RequestedMentors(e))
                    {
                        probe.Offer(j);
                    }
                    foreach (var list in index.ListsFor(e))
                    {
                        probe.Scan(list, seed, LoadPeek);
                    }
                }
                (mentors[e], costs[e]) = probe.Best();
                return probe;
            },
            _ => { });
        var graph = new CandidateGraph(problem, mentors, costs);
        if (!full)
        {
            graph.ReachEveryMentor();
        }
        return graph;
    }

    /// <summary>
    /// Mentee-side probes favour popular, lightly loaded mentors; give every mentor arcs from a few times as many
    /// mentees as it has places (<see cref="MatchingProblem.ArcsPerPlace"/>), so the flow can use everyone's capacity.
    /// </summary>
    void ReachEveryMentor()
    {
        var inDegree = new int[Problem.MentorCount];
        foreach (var j in Mentors.SelectMany(m => m))
        {
            inDegree[j]++;
        }
        var everyone = Enumerable.Range(0, Problem.MenteeCount).ToArray();
        var bySite = everyone.GroupBy(Problem.MenteeSite).ToDictionary(g => g.Key, g => g.ToArray());
        for (var j = 0; j < Problem.MentorCount; j++)
        {
            var wanted = Problem.Problem.ArcsPerPlace * Problem.Capacity[j] - inDegree[j];
            if (wanted <= 0 || !Problem.MentorInPool(j))
            {
                continue;
            }
            var ownSiteOnly = Problem.MentorModality(j) == CompiledProblem.InPerson || Problem.SiteRule == 1;
            var mentees = ownSiteOnly ? bySite.GetValueOrDefault(Problem.MentorSite(j), []) : everyone;
            Offer(j, mentees, wanted, SpareScan);
        }
    }

    /// <summary>Adds a pair the sparse probe missed (its cost comes from the compiled rules).</summary>
    public bool Widen(int mentee, int mentor)
    {
        if (Array.IndexOf(Mentors[mentee], mentor) >= 0 || extra[mentee]?.Exists(x => x.Mentor == mentor) == true)
        {
            return false;
        }
        (extra[mentee] ??= []).Add((mentor, Problem.PairCost(mentor, mentee)));
        return true;
    }

    /// <summary>
    /// Mentors left with spare places after a solve were rarely anyone's top choice; give each a few arcs from
    /// unmatched mentees and from matched ones (who can then move over and free a place elsewhere).
    /// </summary>
    public int WidenIntoSpareMentors(int[] mentorOf, int[] capacity)
    {
        var load = new int[Problem.MentorCount];
        foreach (var j in mentorOf.Where(j => j >= 0))
        {
            load[j]++;
        }
        var unmatched = Enumerable.Range(0, mentorOf.Length).Where(e => mentorOf[e] < 0).ToArray();
        var matched = Enumerable.Range(0, mentorOf.Length).Where(e => mentorOf[e] >= 0).ToArray();
        var added = 0;
        for (var j = 0; j < Problem.MentorCount; j++)
        {
            var spare = capacity[j] - load[j];
            if (spare <= 0 || !Problem.MentorInPool(j))
            {
                continue;
            }
            added += Offer(j, unmatched, 2 * spare, SpareScan);
            added += Offer(j, matched, 2 * spare, SpareScan);
        }
        return added;
    }

    const int SpareScan = 600;

    /// <summary>Looks at up to <paramref name="scan"/> mentees from a stable starting point; adds the best-fitting ones.</summary>
    int Offer(int j, int[] mentees, int wanted, int scan)
    {
        if (mentees.Length == 0)
        {
            return 0;
        }
        var start = Mix(j) % mentees.Length;
        var best = new List<(int Cost, int Mentee)>();
        for (var i = 0; i < Math.Min(scan, mentees.Length); i++)
        {
            var e = mentees[(start + i) % mentees.Length];
            if (Problem.Eligible(j, e))
            {
                best.Add((Problem.PairCost(j, e), e));
            }
        }
        best.Sort();
        var added = 0;
        foreach (var (_, e) in best)
        {
            if (added == wanted)
            {
                break;
            }
            if (Widen(e, j))
            {
                added++;
            }
        }
        return added;
    }

    public IEnumerable<(int Mentor, int Cost)> Arcs(int mentee)
    {
        for (var i = 0; i < Mentors[mentee].Length; i++)
        {
            yield return (Mentors[mentee][i], Costs[mentee][i]);
        }
        foreach (var x in extra[mentee] ?? [])
        {
            yield return x;
        }
    }

    /// <summary>A stable per-mentee starting point, so neighbouring mentees look at different mentors first.</summary>
    static int Mix(int e)
    {
        var x = (uint)e * 2654435761u;
        x ^= x >> 15;
        return (int)(x & 0x7fffffff);
    }

    /// <summary>Keeps the best K eligible mentors offered to one mentee; one instance per thread.</summary>
    sealed class Probe(CompiledProblem problem)
    {
        readonly int[] seenBy = new int[problem.MentorCount];
        readonly List<(int Score, int Mentor, int Cost)> kept = [];
        int mentee, limit, stamp;

        public void Start(int e, int k)
        {
            (mentee, limit) = (e, k);
            stamp++;
            kept.Clear();
        }

        public void Scan(int[] list, int seed, int count)
        {
            if (list.Length == 0)
            {
                return;
            }
            var start = seed % list.Length;
            for (var i = 0; i < Math.Min(count, list.Length); i++)
            {
                Offer(list[(start + i) % list.Length]);
            }
        }

        public void Offer(int j)
        {
            if (seenBy[j] == stamp || !problem.Eligible(j, mentee))
            {
                return;
            }
            seenBy[j] = stamp;
            var cost = problem.PairCost(j, mentee);
            var candidate = (cost + problem.LoadMarginal(j, 0), j, cost);
            if (limit == int.MaxValue)
            {
                kept.Add(candidate);
                return;
            }
            if (kept.Count == limit && candidate.CompareTo(kept[^1]) >= 0)
            {
                return;
            }
            var at = kept.BinarySearch(candidate);
            kept.Insert(at < 0 ? ~at : at, candidate);
            if (kept.Count > limit)
            {
                kept.RemoveAt(kept.Count - 1);
            }
        }

        public (int[] Mentors, int[] Costs) Best()
        {
            kept.Sort();
            return ([.. kept.Select(x => x.Mentor)], [.. kept.Select(x => x.Cost)]);
        }
    }
}

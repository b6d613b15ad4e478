namespace Torace.Matching.Engine.Baselines;

/// <summary>
/// Baseline: stable matching (Gale–Shapley, mentees proposing, mentors holding up to their capacity). A mentee ranks
/// eligible mentors by pair cost plus the mentor's carried load, keeping the best <see cref="PreferenceLength"/>;
/// a mentor ranks mentees by pair cost. Stable, but blind to how many end up unmatched.
/// </summary>
public static class StableMatcher
{
    public const string Name = "gale-shapley";
    public const int PreferenceLength = 40;

    public static MatchingResult Match(MatchingProblem problem)
    {
        var compiled = new CompiledProblem(problem);
        var index = new MentorIndex(compiled);
        var n = compiled.MenteeCount;
        var preferences = new int[n][];
        Parallel.For(0, n, e =>
        {
            preferences[e] = [.. index.ListsFor(e)
                .SelectMany(list => list)
                .Where(j => compiled.Capacity[j] > 0 && compiled.Eligible(j, e))
                .Distinct()
                .Select(j => (Rank: compiled.PairCost(j, e) + compiled.LoadMarginal(j, 0), Mentor: j))
                .OrderBy(x => x.Rank).ThenBy(x => x.Mentor)
                .Take(PreferenceLength)
                .Select(x => x.Mentor)];
        });

        // Each mentor holds its tentative mentees, worst (highest cost, then latest) on top.
        var held = new PriorityQueue<int, (int Cost, int Mentee)>[compiled.MentorCount];
        var next = new int[n];
        var free = new Queue<int>(Enumerable.Range(0, n));
        while (free.Count > 0)
        {
            var e = free.Dequeue();
            if (next[e] >= preferences[e].Length)
            {
                continue;
            }
            var j = preferences[e][next[e]++];
            var queue = held[j] ??= new(Comparer<(int Cost, int Mentee)>.Create((a, b) => b.CompareTo(a)));
            queue.Enqueue(e, (compiled.PairCost(j, e), e));
            if (queue.Count > compiled.Capacity[j])
            {
                free.Enqueue(queue.Dequeue());
            }
        }

        var mentorOf = new int[n];
        Array.Fill(mentorOf, -1);
        for (var j = 0; j < held.Length; j++)
        {
            if (held[j] is { } queue)
            {
                foreach (var (e, _) in queue.UnorderedItems)
                {
                    mentorOf[e] = j;
                }
            }
        }
        return compiled.Result(index, mentorOf);
    }
}

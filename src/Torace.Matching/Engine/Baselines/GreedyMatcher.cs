namespace Torace.Matching.Engine.Baselines;

/// <summary>
/// Baseline: mentees in enrolment order each take the eligible mentor with free capacity at the lowest cost right now
/// (pair cost plus load penalty; ties: earliest enrolled mentor). The foundation's matcher, scored on the same
/// objective as the engine so the comparison is fair. Looks at every eligible mentor; never revisits a choice.
/// </summary>
public static class GreedyMatcher
{
    public const string Name = "greedy";

    public static MatchingResult Match(MatchingProblem problem)
    {
        var compiled = new CompiledProblem(problem);
        var index = new MentorIndex(compiled);
        var capacity = compiled.Capacity;
        var assigned = new int[compiled.MentorCount];
        var mentorOf = new int[compiled.MenteeCount];
        var open = new Dictionary<int[], List<int>>(ReferenceEqualityComparer.Instance);

        for (var e = 0; e < compiled.MenteeCount; e++)
        {
            var (best, bestCost) = (-1, long.MaxValue);
            foreach (var list in index.ListsFor(e))
            {
                if (!open.TryGetValue(list, out var mentors))
                {
                    open[list] = mentors = [.. list.Where(j => capacity[j] > 0)];
                }
                for (var i = 0; i < mentors.Count; i++)
                {
                    var j = mentors[i];
                    if (assigned[j] >= capacity[j])
                    {
                        mentors[i--] = mentors[^1];
                        mentors.RemoveAt(mentors.Count - 1);
                        continue;
                    }
                    if (!compiled.Eligible(j, e))
                    {
                        continue;
                    }
                    long cost = compiled.PairCost(j, e) + compiled.LoadMarginal(j, assigned[j]);
                    if (cost < bestCost || (cost == bestCost && j < best))
                    {
                        (best, bestCost) = (j, cost);
                    }
                }
            }
            mentorOf[e] = best;
            if (best >= 0)
            {
                assigned[best]++;
            }
        }
        return compiled.Result(index, mentorOf);
    }
}

namespace Torace.Matching.Engine;

/// <summary>
/// Proves the sparse solution matched as many mentees as the full eligible graph allows, or finds what it missed.
/// One breadth-first search from every unmatched mentee over the full graph (mentee → any eligible mentor → that
/// mentor's mentees → …); reaching a mentor with spare capacity is an augmenting path (Berge), whose pairs the
/// candidate graph then gains. No path means the matching is maximum.
/// </summary>
internal static class Augmentation
{
    public static IReadOnlyList<(int Mentee, int Mentor)> MissedPairs(CompiledProblem problem, MentorIndex index, int[] mentorOf, int[] capacity)
    {
        int n = problem.MenteeCount, m = problem.MentorCount;
        var load = new int[m];
        var menteesOf = new List<int>[m];
        for (var e = 0; e < n; e++)
        {
            if (mentorOf[e] >= 0)
            {
                load[mentorOf[e]]++;
                (menteesOf[mentorOf[e]] ??= []).Add(e);
            }
        }

        var reachedFrom = new int[m];
        Array.Fill(reachedFrom, -1);
        var visitedMentee = new bool[n];
        var queue = new Queue<int>();
        for (var e = 0; e < n; e++)
        {
            if (mentorOf[e] < 0 && problem.MenteeInPool(e))
            {
                visitedMentee[e] = true;
                queue.Enqueue(e);
            }
        }

        // Each list is walked once per visit, but mentors already reached are dropped from it for good.
        var open = new Dictionary<int[], List<int>>(ReferenceEqualityComparer.Instance);
        var missed = new List<(int, int)>();
        while (queue.Count > 0)
        {
            var e = queue.Dequeue();
            foreach (var list in index.ListsFor(e))
            {
                if (!open.TryGetValue(list, out var remaining))
                {
                    open[list] = remaining = [.. list];
                }
                for (var i = 0; i < remaining.Count; i++)
                {
                    var j = remaining[i];
                    if (reachedFrom[j] >= 0)
                    {
                        remaining[i--] = remaining[^1];
                        remaining.RemoveAt(remaining.Count - 1);
                        continue;
                    }
                    if (capacity[j] == 0 || !problem.Eligible(j, e))
                    {
                        continue;
                    }
                    reachedFrom[j] = e;
                    remaining[i--] = remaining[^1];
                    remaining.RemoveAt(remaining.Count - 1);
                    if (load[j] < capacity[j])
                    {
                        // Walk the path back: j ← e ← mentorOf[e] ← … ← an unmatched mentee.
                        for (int mentor = j, mentee = e; ; )
                        {
                            missed.Add((mentee, mentor));
                            if (mentorOf[mentee] < 0)
                            {
                                break;
                            }
                            mentor = mentorOf[mentee];
                            missed.Add((mentee, mentor));
                            mentee = reachedFrom[mentor];
                        }
                        continue;
                    }
                    foreach (var next in menteesOf[j] ?? [])
                    {
                        if (!visitedMentee[next])
                        {
                            visitedMentee[next] = true;
                            queue.Enqueue(next);
                        }
                    }
                }
            }
        }
        return missed;
    }
}

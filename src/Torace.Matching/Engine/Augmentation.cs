namespace Torace.Matching.Engine;

/// <summary>
/// Makes a matching maximum over the full eligible graph, not just the sparse one it was solved on. Breadth-first
/// search from every unmatched mentee (mentee → any eligible mentor → that mentor's mentees → …); reaching a mentor
/// with a spare place is an augmenting path, and shifting everyone along it matches one more mentee. Repeated until
/// no path is left, which (Berge) proves the matching maximum.
/// </summary>
internal static class Augmentation
{
    /// <summary>Augments <paramref name="mentorOf"/> in place; answers how many more mentees it matched.</summary>
    public static int Augment(CompiledProblem problem, MentorIndex index, int[] mentorOf, int[] capacity)
    {
        var gained = 0;
        while (FindPaths(problem, index, mentorOf, capacity) is { Count: > 0 } paths)
        {
            var touched = new HashSet<int>();
            foreach (var path in paths)
            {
                // Paths share their beginnings; apply one only if nobody on it moved already this round.
                if (path.Any(step => touched.Contains(step.Mentee)))
                {
                    continue;
                }
                foreach (var (mentee, mentor) in path)
                {
                    touched.Add(mentee);
                    mentorOf[mentee] = mentor;
                }
                gained++;
            }
        }
        return gained;
    }

    /// <summary>One search; each path lists (mentee, new mentor) steps, ending at a mentor with a spare place.</summary>
    static List<List<(int Mentee, int Mentor)>> FindPaths(CompiledProblem problem, MentorIndex index, int[] mentorOf, int[] capacity)
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

        var pathsInto = new int[m];
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

        // Mentors already passed through are dropped from the lists for good, so each is scanned past once.
        var open = new Dictionary<int[], List<int>>(ReferenceEqualityComparer.Instance);
        var paths = new List<List<(int, int)>>();
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
                    if (reachedFrom[j] >= 0 || capacity[j] == 0)
                    {
                        remaining[i--] = remaining[^1];
                        remaining.RemoveAt(remaining.Count - 1);
                        continue;
                    }
                    if (mentorOf[e] == j || !problem.Eligible(j, e))
                    {
                        continue;
                    }
                    if (load[j] < capacity[j])
                    {
                        // A mentor with spare places ends as many paths as it has places.
                        paths.Add(PathTo(j, e, mentorOf, reachedFrom));
                        if (++pathsInto[j] + load[j] >= capacity[j])
                        {
                            reachedFrom[j] = e;
                        }
                        continue;
                    }
                    reachedFrom[j] = e;
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
        return paths;
    }

    /// <summary>Walks back from the free mentor: e moves to j, e's mentor takes the mentee who reached it, and so on.</summary>
    static List<(int Mentee, int Mentor)> PathTo(int j, int e, int[] mentorOf, int[] reachedFrom)
    {
        var path = new List<(int, int)>();
        for (int mentor = j, mentee = e; ; )
        {
            path.Add((mentee, mentor));
            if (mentorOf[mentee] < 0)
            {
                return path;
            }
            mentor = mentorOf[mentee];
            mentee = reachedFrom[mentor];
        }
    }
}

namespace Torace.Matching.Engine;

/// <summary>
/// The matcher: hard constraints exactly, as many mentees matched as the pool allows, then the least total cost
/// (soft factors and load spreading). Pure and deterministic: the same problem gives the same result.
/// </summary>
public static class MatchingEngine
{
    public const string Name = "min-cost-flow";

    public static MatchingResult Match(MatchingProblem problem)
    {
        var compiled = new CompiledProblem(problem);
        var index = new MentorIndex(compiled);
        var (rounds, groupSize) = (Math.Max(1, problem.Rounds), Math.Max(1, problem.Pool.GroupSize));
        return rounds > 1 && SpeedRounds.Fits(compiled)
            ? SpeedRounds.Match(compiled, index, rounds, groupSize)
            : RoundByRound(compiled, index, rounds, groupSize);
    }

    /// <summary>
    /// One matching; for a speed-mentoring event too large to solve whole, one round after another, each as large as
    /// the pairs not yet met allow.
    /// </summary>
    internal static MatchingResult RoundByRound(MatchingProblem problem)
    {
        var compiled = new CompiledProblem(problem);
        return RoundByRound(compiled, new MentorIndex(compiled), Math.Max(1, problem.Rounds), Math.Max(1, problem.Pool.GroupSize));
    }

    static MatchingResult RoundByRound(CompiledProblem compiled, MentorIndex index, int rounds, int groupSize)
    {
        var proposals = new List<Proposal>();
        var unmatched = new List<Unmatched>();
        long total = 0;
        for (var round = 1; round <= rounds; round++)
        {
            // A speed-mentoring round gives each mentor at most one group.
            var capacity = rounds == 1 ? compiled.Capacity : [.. compiled.Capacity.Select(c => Math.Min(c, groupSize))];
            var assignment = SolveMaximum(compiled, index, capacity);
            total += assignment.Cost;
            proposals.AddRange(Explanations.Proposals(compiled, assignment.MentorOf, groupSize, round));
            unmatched.AddRange(Explanations.Unmatched(compiled, index, assignment.MentorOf, round));
            for (var e = 0; e < compiled.MenteeCount; e++)
            {
                if (assignment.MentorOf[e] >= 0)
                {
                    compiled.BlockPair(assignment.MentorOf[e], e);
                }
            }
        }
        return new MatchingResult(proposals, unmatched) { TotalCost = total };
    }

    /// <summary>
    /// Solve on the sparse graph; if the full graph allows more matches, find them by augmenting paths, add those pairs
    /// (and arcs into mentors left with spare places) to the graph, and solve once more for the least cost.
    /// </summary>
    static FlowSolver.Assignment SolveMaximum(CompiledProblem problem, MentorIndex index, int[] capacity)
    {
        var graph = CandidateGraph.Build(problem, index);
        var sparse = FlowSolver.Solve(graph, capacity);
        var maximum = (int[])sparse.MentorOf.Clone();
        if (Augmentation.Augment(problem, index, maximum, capacity) == 0)
        {
            return sparse;
        }
        graph.WidenIntoSpareMentors(sparse.MentorOf, capacity);
        for (var e = 0; e < maximum.Length; e++)
        {
            if (maximum[e] >= 0)
            {
                graph.Widen(e, maximum[e]);
            }
        }
        var widened = FlowSolver.Solve(graph, capacity);
        var (matched, needed) = (widened.MentorOf.Count(j => j >= 0), maximum.Count(j => j >= 0));
        return matched == needed
            ? widened
            : throw new InvalidOperationException($"The widened graph holds a matching of {needed} but the flow matched {matched}.");
    }
}

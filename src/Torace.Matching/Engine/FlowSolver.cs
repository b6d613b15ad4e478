using Google.OrTools.Graph;

namespace Torace.Matching.Engine;

/// <summary>
/// Solves the candidate graph with OR-Tools min-cost flow: source → mentee → mentor (pair cost, one unit: a pair
/// meets once) → sink, where each mentor's places are a ladder of arcs whose costs rise with the mentees already
/// carried (the convex load-spreading penalty). Maximum flow first (everyone who can be matched is), least cost
/// among those.
/// </summary>
internal static class FlowSolver
{
    public sealed record Assignment(int[] MentorOf, long Cost);

    /// <summary>One matching: each mentee to at most one mentor, each mentor within its capacity.</summary>
    public static Assignment Solve(CandidateGraph graph, int[] capacity)
    {
        var (pairs, cost) = Solve(graph, capacity, rounds: 1);
        var mentorOf = new int[graph.Problem.MenteeCount];
        Array.Fill(mentorOf, -1);
        foreach (var (e, j) in pairs)
        {
            mentorOf[e] = j;
        }
        return new Assignment(mentorOf, cost);
    }

    /// <summary>
    /// Every pair of a whole speed-mentoring event at once: each mentee meets up to <paramref name="rounds"/>
    /// mentors, each mentor up to <paramref name="rounds"/> times its places per round. The ladder prices a mentor's
    /// places as if spread evenly over the rounds (each step of the per-round ladder, once per round), which is the
    /// cheapest spreading and the one <see cref="SpeedRounds"/> schedules. A mentee's k-th meeting costs k turns, and
    /// a turn outweighs any difference in fit, so among the most meetings everyone gets a turn before anyone gets a
    /// second; the fit decides only between equally fair events. The answered cost leaves the turns out.
    /// </summary>
    public static (List<(int Mentee, int Mentor)> Pairs, long Cost) Solve(CandidateGraph graph, int[] placesPerRound, int rounds)
    {
        var problem = graph.Problem;
        int n = problem.MenteeCount, m = problem.MentorCount;
        int source = 0, sink = n + m + 1;
        int MenteeNode(int e) => 1 + e;
        int MentorNode(int j) => 1 + n + j;

        // How many meetings each mentee can have, and what one meeting can cost at most (pair and load).
        var meetings = new int[n];
        long dearest = 0;
        for (var e = 0; e < n; e++)
        {
            foreach (var (j, cost) in graph.Arcs(e))
            {
                if (placesPerRound[j] > 0)
                {
                    meetings[e] = Math.Min(rounds, meetings[e] + 1);
                    dearest = Math.Max(dearest, cost);
                }
            }
        }
        long supply = meetings.Sum();
        long steepest = Enumerable.Range(0, m).Select(j => placesPerRound[j] > 0 ? problem.LoadMarginal(j, placesPerRound[j] - 1) : 0).DefaultIfEmpty().Max();
        // A turn is worth more than the whole event's fit and load could ever differ by.
        var turn = rounds == 1 ? 0 : supply * (dearest + steepest) + 1;

        using var flow = new MinCostFlow();
        var pairArcs = new List<(int Arc, int Mentee, int Mentor)>(graph.ArcCount);
        for (var e = 0; e < n; e++)
        {
            foreach (var (j, cost) in graph.Arcs(e))
            {
                if (placesPerRound[j] > 0)
                {
                    pairArcs.Add((flow.AddArcWithCapacityAndUnitCost(MenteeNode(e), MentorNode(j), 1, cost), e, j));
                }
            }
            for (var k = 0; k < meetings[e]; k++)
            {
                flow.AddArcWithCapacityAndUnitCost(source, MenteeNode(e), 1, k * turn);
            }
        }
        for (var j = 0; j < m; j++)
        {
            // Place s costs the per-round ladder's step s / rounds; consecutive places of equal cost share one arc.
            var places = placesPerRound[j] * rounds;
            var s = 0;
            while (s < places)
            {
                var cost = problem.LoadMarginal(j, s / rounds);
                var run = 1;
                while (s + run < places && problem.LoadMarginal(j, (s + run) / rounds) == cost)
                {
                    run++;
                }
                flow.AddArcWithCapacityAndUnitCost(MentorNode(j), sink, run, cost);
                s += run;
            }
        }
        flow.SetNodeSupply(source, supply);
        flow.SetNodeSupply(sink, -supply);

        var status = flow.SolveMaxFlowWithMinCost();
        if (status != MinCostFlowBase.Status.OPTIMAL)
        {
            throw new InvalidOperationException($"The min-cost flow solver answered {status}.");
        }
        var pairs = pairArcs.Where(a => flow.Flow(a.Arc) > 0).Select(a => (a.Mentee, a.Mentor)).ToList();
        var turns = turn == 0 ? 0 : pairs.GroupBy(p => p.Mentee).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        return (pairs, flow.OptimalCost() - turns * turn);
    }
}

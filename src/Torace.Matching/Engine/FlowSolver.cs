using Google.OrTools.Graph;

namespace Torace.Matching.Engine;

/// <summary>
/// Solves the candidate graph with OR-Tools min-cost flow: source → mentee (1) → mentor (pair cost) → sink, where each
/// mentor's capacity is a ladder of unit arcs whose costs rise with the mentees already carried (the convex
/// load-spreading penalty). Maximum flow first (everyone who can be matched is), least cost among those.
/// </summary>
internal static class FlowSolver
{
    public sealed record Assignment(int[] MentorOf, long Cost);

    public static Assignment Solve(CandidateGraph graph, int[] capacity)
    {
        var problem = graph.Problem;
        int n = problem.MenteeCount, m = problem.MentorCount;
        int source = 0, sink = n + m + 1;
        int MenteeNode(int e) => 1 + e;
        int MentorNode(int j) => 1 + n + j;

        using var flow = new MinCostFlow();
        var pairArcs = new List<(int Arc, int Mentee, int Mentor)>(graph.ArcCount);
        var supply = 0;
        for (var e = 0; e < n; e++)
        {
            var any = false;
            foreach (var (j, cost) in graph.Arcs(e))
            {
                if (capacity[j] > 0)
                {
                    pairArcs.Add((flow.AddArcWithCapacityAndUnitCost(MenteeNode(e), MentorNode(j), 1, cost), e, j));
                    any = true;
                }
            }
            if (any)
            {
                flow.AddArcWithCapacityAndUnitCost(source, MenteeNode(e), 1, 0);
                supply++;
            }
        }
        for (var j = 0; j < m; j++)
        {
            // Consecutive slots of equal cost share one arc (weight 0, or past the load cap).
            var k = 0;
            while (k < capacity[j])
            {
                var cost = problem.LoadMarginal(j, k);
                var run = 1;
                while (k + run < capacity[j] && problem.LoadMarginal(j, k + run) == cost)
                {
                    run++;
                }
                flow.AddArcWithCapacityAndUnitCost(MentorNode(j), sink, run, cost);
                k += run;
            }
        }
        flow.SetNodeSupply(source, supply);
        flow.SetNodeSupply(sink, -supply);

        var status = flow.SolveMaxFlowWithMinCost();
        if (status != MinCostFlowBase.Status.OPTIMAL)
        {
            throw new InvalidOperationException($"The min-cost flow solver answered {status}.");
        }

        var mentorOf = new int[n];
        Array.Fill(mentorOf, -1);
        foreach (var (arc, e, j) in pairArcs)
        {
            if (flow.Flow(arc) > 0)
            {
                mentorOf[e] = j;
            }
        }
        return new Assignment(mentorOf, flow.OptimalCost());
    }
}

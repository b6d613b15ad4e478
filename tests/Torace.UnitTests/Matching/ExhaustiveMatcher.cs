using Torace.Matching.Engine;

namespace Torace.UnitTests.Matching;

/// <summary>
/// The exact answer for tiny problems, by trying every assignment of every mentee over the full eligible graph
/// (using only <see cref="Rules"/>): the most mentees that can be matched, and the least cost among those matchings.
/// </summary>
static class ExhaustiveMatcher
{
    public static (int Matched, long Cost) Best(MatchingProblem problem, int capacityCap = int.MaxValue, ISet<(Guid, Guid)>? alreadyMet = null)
    {
        var mentors = problem.Mentors;
        var mentees = problem.Mentees;
        var capacity = mentors.Select(m => Math.Min(capacityCap, Rules.EffectiveCapacity(problem.Pool, m, problem.History.LoadOf(m.ExternalId)))).ToArray();
        var eligible = mentees.Select(e => mentors.Select((m, j) => (m, j))
            .Where(x => Rules.Ineligibility(problem, x.m, e) is null && alreadyMet?.Contains((x.m.Id, e.Id)) != true)
            .Select(x => x.j).ToArray()).ToArray();
        var taken = new int[mentors.Count];
        var best = (Matched: -1, Cost: long.MaxValue);

        void Assign(int e, int matched, long cost)
        {
            if (e == mentees.Count)
            {
                if (matched > best.Matched || (matched == best.Matched && cost < best.Cost))
                {
                    best = (matched, cost);
                }
                return;
            }
            Assign(e + 1, matched, cost);
            foreach (var j in eligible[e])
            {
                if (taken[j] < capacity[j])
                {
                    var load = problem.History.LoadOf(mentors[j].ExternalId);
                    var marginal = Rules.LoadMarginal(problem.Weights.LoadSpreading, load.PastMentees + load.CurrentMentees + taken[j]);
                    taken[j]++;
                    Assign(e + 1, matched + 1, cost + Rules.PairCost(problem.Weights, mentors[j], mentees[e]) + marginal);
                    taken[j]--;
                }
            }
        }

        Assign(0, 0, 0);
        return best;
    }
}

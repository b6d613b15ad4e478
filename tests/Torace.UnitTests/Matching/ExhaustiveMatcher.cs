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
    /// <summary>
    /// A whole speed-mentoring event by trying every set of eligible pairs: each mentee meets at most one mentor per
    /// round (so at most R), each mentor at most its places per round (so R times that), no pair twice. Any such set
    /// fits into the rounds, and costs least with each mentor's mentees spread evenly over them. Among the most
    /// meetings, the fairest first (fewest second and later meetings while others have none: the sum over mentees of
    /// k(k−1)/2 for k meetings), then the least cost.
    /// </summary>
    public static (int Meetings, long Turns, long Cost) BestEvent(MatchingProblem problem)
    {
        var rounds = problem.Rounds;
        var mentors = problem.Mentors;
        var mentees = problem.Mentees;
        var perRound = mentors.Select(m => Math.Min(Math.Max(1, problem.Pool.GroupSize),
            Rules.EffectiveCapacity(problem.Pool, m, problem.History.LoadOf(m.ExternalId)))).ToArray();
        var pairs = (from j in Enumerable.Range(0, mentors.Count)
                     from e in Enumerable.Range(0, mentees.Count)
                     where Rules.Ineligibility(problem, mentors[j], mentees[e]) is null
                     select (j, e)).ToArray();
        var mentorMeetings = new int[mentors.Count];
        var menteeMeetings = new int[mentees.Count];
        var best = (Meetings: -1, Turns: long.MaxValue, Cost: long.MaxValue);

        long LoadCost()
        {
            long cost = 0;
            for (var j = 0; j < mentors.Count; j++)
            {
                var load = problem.History.LoadOf(mentors[j].ExternalId);
                for (var r = 0; r < rounds; r++)
                {
                    var inRound = mentorMeetings[j] / rounds + (r < mentorMeetings[j] % rounds ? 1 : 0);
                    for (var k = 0; k < inRound; k++)
                    {
                        cost += Rules.LoadMarginal(problem.Weights.LoadSpreading, load.PastMentees + load.CurrentMentees + k);
                    }
                }
            }
            return cost;
        }

        void Choose(int p, int meetings, long cost)
        {
            if (p == pairs.Length)
            {
                var total = cost + LoadCost();
                var turns = menteeMeetings.Sum(k => (long)k * (k - 1) / 2);
                if (meetings > best.Meetings || (meetings == best.Meetings && (turns < best.Turns || (turns == best.Turns && total < best.Cost))))
                {
                    best = (meetings, turns, total);
                }
                return;
            }
            Choose(p + 1, meetings, cost);
            var (j, e) = pairs[p];
            if (mentorMeetings[j] < rounds * perRound[j] && menteeMeetings[e] < rounds)
            {
                mentorMeetings[j]++;
                menteeMeetings[e]++;
                Choose(p + 1, meetings + 1, cost + Rules.PairCost(problem.Weights, mentors[j], mentees[e]));
                mentorMeetings[j]--;
                menteeMeetings[e]--;
            }
        }

        Choose(0, 0, 0);
        return best;
    }
}

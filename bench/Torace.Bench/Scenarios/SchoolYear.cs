using Torace.Matching.Engine;

namespace Torace.Bench.Scenarios;

/// <summary>
/// A school year of 20 programs drawing on one district's mentor pool. After each program its matches become the
/// mentors' history (as the service builds it from match events), so the next program sees who has carried whom.
/// </summary>
public static class SchoolYear
{
    public const int Programs = 20;
    public const int PoolSize = 1_500;

    public sealed record Outcome(string Engine, int Matched, int MentorsUsed, double BusiestTenthShare, double Gini, int MostCarried);

    public static Outcome Simulate(string engine, Func<MatchingProblem, MatchingResult> match, int seed)
    {
        var random = new Random(seed);
        var pool = DistrictGenerator.Create(0, PoolSize, seed).Mentors;
        var carried = pool.ToDictionary(m => m.ExternalId, _ => 0);
        var matched = 0;
        for (var program = 0; program < Programs; program++)
        {
            var mentors = pool.Where(_ => random.NextDouble() < 0.5).Select(m => m with { Capacity = 1 + random.Next(3) }).ToList();
            var mentees = DistrictGenerator.Create(300 + random.Next(601), 1, seed * 100 + program).Mentees
                .Select(m => m with { ExternalId = $"{m.ExternalId}-p{program}", Requests = null })
                .ToList();
            var problem = new MatchingProblem(new PoolRules("any", 1), new MatchingWeights(CrossSite: 3), mentors, mentees)
            {
                History = new MatchingHistory { Loads = carried.ToDictionary(c => c.Key, c => new MentorLoad(c.Value, 0)) },
            };
            var result = match(problem);
            var byId = mentors.ToDictionary(m => m.Id);
            foreach (var proposal in result.Proposals)
            {
                carried[byId[proposal.MentorId].ExternalId] += proposal.MenteeIds.Count;
            }
            matched += result.MatchedMentees;
        }

        var loads = carried.Values.OrderByDescending(v => v).ToArray();
        var busiest = loads.Take(loads.Length / 10).Sum();
        return new Outcome(engine, matched, loads.Count(v => v > 0), (double)busiest / Math.Max(1, matched), Gini(loads), loads[0]);
    }

    /// <summary>0 when every mentor carries the same, towards 1 when a few carry everything.</summary>
    static double Gini(int[] values)
    {
        var sorted = values.Order().Select(v => (double)v).ToArray();
        var total = sorted.Sum();
        if (total == 0)
        {
            return 0;
        }
        var weighted = sorted.Select((v, i) => (i + 1) * v).Sum();
        return 2 * weighted / (sorted.Length * total) - (sorted.Length + 1.0) / sorted.Length;
    }
}

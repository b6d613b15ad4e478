namespace Torace.Matching.Engine;

/// <summary>
/// The baseline matcher: mentees in enrolment order each take the eligible mentor with free capacity who
/// shares the most topics (ties: the least loaded, then the earliest enrolled). Pure and deterministic.
/// </summary>
public static class GreedyMatcher
{
    public static MatchingResult Match(PoolRules rules, IReadOnlyList<Person> mentors, IReadOnlyList<Person> mentees)
    {
        var assigned = mentors.ToDictionary(m => m.Id, _ => new List<(Guid Mentee, IReadOnlyList<string> Topics)>());
        var unmatched = new List<Unmatched>();

        foreach (var mentee in mentees)
        {
            var eligible = mentors.Where(m => Eligibility.Allows(rules, m, mentee)).ToList();
            var best = eligible
                .Where(m => assigned[m.Id].Count < m.Capacity)
                .Select((m, order) => (Mentor: m, Shared: Eligibility.SharedTopics(m, mentee), Order: order))
                .OrderByDescending(c => c.Shared.Count)
                .ThenBy(c => assigned[c.Mentor.Id].Count)
                .ThenBy(c => c.Order)
                .FirstOrDefault();

            if (best.Mentor is null)
            {
                unmatched.Add(new Unmatched(mentee.Id, eligible.Count == 0 ? UnmatchedReasons.NoEligibleMentor : UnmatchedReasons.CapacityExhausted));
                continue;
            }
            assigned[best.Mentor.Id].Add((mentee.Id, best.Shared));
        }

        var proposals = mentors
            .SelectMany(mentor => assigned[mentor.Id]
                .Chunk(Math.Max(1, rules.GroupSize))
                .Select(group => new Proposal(
                    mentor.Id,
                    [.. group.Select(g => g.Mentee)],
                    group.Sum(g => g.Topics.Count),
                    Reasons(mentor, group))))
            .ToList();
        return new MatchingResult(proposals, unmatched);
    }

    static IReadOnlyList<string> Reasons(Person mentor, (Guid Mentee, IReadOnlyList<string> Topics)[] group)
    {
        var topics = group.SelectMany(g => g.Topics).Distinct().Order(StringComparer.Ordinal).ToList();
        return topics.Count > 0
            ? [$"shares topics: {string.Join(", ", topics)}", $"mentor capacity {mentor.Capacity}"]
            : ["no shared topic; the only eligible mentor with free capacity", $"mentor capacity {mentor.Capacity}"];
    }
}

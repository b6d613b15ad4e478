namespace Torace.Matching.Engine;

/// <summary>
/// Checks a result against <see cref="Rules"/> one pair at a time, independently of the solver: every hard constraint,
/// every mentee accounted for once per round, and the reported cost recomputed from scratch.
/// </summary>
public static class MatchingValidator
{
    public static IReadOnlyList<string> Violations(MatchingProblem problem, MatchingResult result)
    {
        var violations = new List<string>();
        var mentors = problem.Mentors.ToDictionary(m => m.Id);
        var mentees = problem.Mentees.ToDictionary(m => m.Id);
        var groupSize = Math.Max(1, problem.Pool.GroupSize);
        var rounds = Math.Max(1, problem.Rounds);
        var met = new HashSet<(Guid, Guid)>();
        long cost = 0;

        for (var round = 1; round <= rounds; round++)
        {
            var proposals = result.Proposals.Where(p => p.Round == round).ToList();
            var seen = new Dictionary<Guid, int>();
            foreach (var id in proposals.SelectMany(p => p.MenteeIds).Concat(result.Unmatched.Where(u => u.Round == round).Select(u => u.EnrolmentId)))
            {
                seen[id] = seen.GetValueOrDefault(id) + 1;
            }
            violations.AddRange(mentees.Keys.Where(id => seen.GetValueOrDefault(id) != 1)
                .Select(id => $"round {round}: mentee {mentees[id].ExternalId} appears {seen.GetValueOrDefault(id)} times"));
            violations.AddRange(seen.Keys.Where(id => !mentees.ContainsKey(id)).Select(id => $"round {round}: {id} is not a mentee of the problem"));

            foreach (var (mentorId, groups) in proposals.GroupBy(p => p.MentorId).Select(g => (g.Key, g.ToList())))
            {
                if (!mentors.TryGetValue(mentorId, out var mentor))
                {
                    violations.Add($"round {round}: {mentorId} is not a mentor of the problem");
                    continue;
                }
                var load = problem.History.LoadOf(mentor.ExternalId);
                var capacity = Rules.EffectiveCapacity(problem.Pool, mentor, load);
                var limit = rounds == 1 ? capacity : Math.Min(capacity, groupSize);
                var taken = groups.Sum(g => g.MenteeIds.Count);
                if (taken > limit)
                {
                    violations.Add($"round {round}: mentor {mentor.ExternalId} takes {taken} mentees, more than {limit}");
                }
                violations.AddRange(groups.Where(g => g.MenteeIds.Count > groupSize || g.MenteeIds.Count == 0)
                    .Select(g => $"round {round}: mentor {mentor.ExternalId} has a group of {g.MenteeIds.Count}; the program allows 1 to {groupSize}"));
                var carried = load.PastMentees + load.CurrentMentees;
                for (var k = 0; k < taken; k++)
                {
                    cost += Rules.LoadMarginal(problem.Weights.LoadSpreading, carried + k);
                }
                foreach (var menteeId in groups.SelectMany(g => g.MenteeIds).Where(mentees.ContainsKey))
                {
                    var mentee = mentees[menteeId];
                    if (Rules.Ineligibility(problem, mentor, mentee) is { } why)
                    {
                        violations.Add($"round {round}: {mentor.ExternalId} with {mentee.ExternalId}: {why}");
                    }
                    if (!met.Add((mentorId, menteeId)))
                    {
                        violations.Add($"round {round}: {mentor.ExternalId} meets {mentee.ExternalId} again");
                    }
                    cost += Rules.PairCost(problem.Weights, mentor, mentee);
                }
            }
        }
        if (cost != result.TotalCost)
        {
            violations.Add($"the result reports a total cost of {result.TotalCost}; the rules give {cost}");
        }
        return violations;
    }
}

namespace Torace.Matching.Engine;

/// <summary>Turns an assignment into proposals that say why, and unmatched mentees that say why not.</summary>
public static class Explanations
{
    internal static IEnumerable<Proposal> Proposals(CompiledProblem problem, int[] mentorOf, int groupSize, int round)
    {
        var p = problem.Problem;
        var menteesOf = new List<int>[problem.MentorCount];
        for (var e = 0; e < mentorOf.Length; e++)
        {
            if (mentorOf[e] >= 0)
            {
                (menteesOf[mentorOf[e]] ??= []).Add(e);
            }
        }
        for (var j = 0; j < problem.MentorCount; j++)
        {
            if (menteesOf[j] is not { } mentees)
            {
                continue;
            }
            var assigned = 0;
            foreach (var group in Groups(p.Mentors[j], [.. mentees.Select(e => p.Mentees[e])], groupSize))
            {
                yield return Describe(p, p.Mentors[j], group, problem.Carried[j] + assigned) with { Round = round };
                assigned += group.Count;
            }
        }
    }

    /// <summary>
    /// A proposal for this mentor and group, with every weighted factor per mentee and the load-spreading step each
    /// mentee adds, given the mentees the mentor <paramref name="carried"/> before.
    /// </summary>
    public static Proposal Describe(MatchingProblem problem, Person mentor, IReadOnlyList<Person> group, int carried)
    {
        var factors = new List<MatchFactor>();
        var costShare = 0.0;
        foreach (var mentee in group)
        {
            var pair = Rules.Factors(problem.Weights, mentor, mentee).Where(f => f.Weight > 0).ToList();
            costShare += pair.Sum(f => (double)f.Weight * f.Cost);
            pair.Add(new MatchFactor("loadSpreading", problem.Weights.LoadSpreading, Rules.LoadMarginal(problem.Weights.LoadSpreading, carried),
                carried == 0 ? "the mentor's first mentee" : $"the mentor already carries {carried}"));
            carried++;
            factors.AddRange(group.Count == 1 ? pair : pair.Select(f => f with { Detail = $"{mentee.ExternalId}: {f.Detail}" }));
        }
        return new Proposal(mentor.Id, [.. group.Select(m => m.Id)], Score(problem.Weights, costShare / Math.Max(1, group.Count)), Reasons(factors))
        {
            Factors = factors,
        };
    }

    /// <summary>Splits a mentor's mentees into groups no larger than the program allows, sizes within one of each other, like topics together.</summary>
    static IEnumerable<IReadOnlyList<Person>> Groups(Person mentor, IReadOnlyList<Person> mentees, int groupSize)
    {
        var ordered = mentees
            .OrderBy(m => Rules.SharedTopics(mentor, m).FirstOrDefault() ?? "\uffff", StringComparer.Ordinal)
            .ToList();
        var count = (ordered.Count + groupSize - 1) / groupSize;
        for (int g = 0, taken = 0; g < count; g++)
        {
            var size = (ordered.Count - taken) / (count - g);
            yield return ordered.GetRange(taken, size);
            taken += size;
        }
    }

    /// <summary>100 is a perfect fit on every weighted factor; 0 fails all of them.</summary>
    static double Score(MatchingWeights w, double weightedCost)
    {
        var weights = w.Topic + w.CrossSite + w.SameSite + w.RoleFit + w.Availability + w.Requests;
        return weights == 0 ? 100 : Math.Round(100 - weightedCost / weights, 1);
    }

    static IReadOnlyList<string> Reasons(IEnumerable<MatchFactor> factors) =>
        [.. factors.Where(f => f.Weight > 0).OrderByDescending(f => f.Weight).Select(f => $"{f.Name} (weight {f.Weight}): {f.Detail}")];

    internal static IEnumerable<Unmatched> Unmatched(CompiledProblem problem, MentorIndex index, int[] mentorOf, int round)
    {
        for (var e = 0; e < mentorOf.Length; e++)
        {
            if (mentorOf[e] < 0)
            {
                yield return new Unmatched(problem.Problem.Mentees[e].Id, ReasonFor(problem, index, e)) { Round = round };
            }
        }
    }

    static string ReasonFor(CompiledProblem problem, MentorIndex index, int e)
    {
        if (!problem.MenteeInPool(e))
        {
            return UnmatchedReasons.OutsidePool;
        }
        if (index.ListsFor(e).Any(list => list.Any(j => problem.Eligible(j, e))))
        {
            return UnmatchedReasons.CapacityExhausted;
        }
        var covered = Enumerable.Range(0, problem.TopicCount).Any(t => problem.MenteeHasTopic(e, t) && index.TopicCovered[t]);
        return problem.MenteeNamedTopics(e) && !covered ? UnmatchedReasons.TopicNotCovered : UnmatchedReasons.NoEligibleMentor;
    }
}

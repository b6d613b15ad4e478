using FsCheck.Xunit;
using Torace.Matching.Engine;
using Torace.Matching.Engine.Baselines;

namespace Torace.UnitTests.Matching;

/// <summary>
/// Properties over random small districts (FsCheck picks the seeds and reports the failing one). The exhaustive
/// solver sees the full eligible graph, so "maximum" and "least cost" are checked, not assumed.
/// </summary>
public class MatchingPropertyTests
{
    [Property(MaxTest = 1000)]
    public void Every_proposal_keeps_every_hard_rule_and_every_mentee_is_accounted_for(int seed)
    {
        var problem = RandomDistricts.Create(seed);

        var result = MatchingEngine.Match(problem);

        Assert.Empty(MatchingValidator.Violations(problem, result));
    }

    [Property(MaxTest = 1000)]
    public void The_engine_matches_the_most_mentees_possible_at_the_least_cost_among_such_matchings(int seed)
    {
        var problem = RandomDistricts.Create(seed);

        var result = MatchingEngine.Match(problem);

        var exact = ExhaustiveMatcher.Best(problem);
        Assert.Equal(exact.Matched, result.MatchedMentees);
        Assert.Equal(exact.Cost, result.TotalCost);
    }

    [Property(MaxTest = 500)]
    public void Every_unmatched_mentee_gets_the_reason_the_rules_give(int seed)
    {
        var problem = RandomDistricts.Create(seed);

        var result = MatchingEngine.Match(problem);

        foreach (var unmatched in result.Unmatched)
        {
            var mentee = problem.Mentees.Single(m => m.Id == unmatched.EnrolmentId);
            var anyEligible = problem.Mentors.Any(m => Rules.Ineligibility(problem, m, mentee) is null);
            var expected = !Rules.InPool(problem.Pool, mentee, isMentor: false) ? UnmatchedReasons.OutsidePool
                : anyEligible ? UnmatchedReasons.CapacityExhausted
                : mentee.Topics.Count > 0 && !problem.Mentors.Any(m => Rules.InPool(problem.Pool, m, isMentor: true) && Rules.SharedTopics(m, mentee).Count > 0)
                    ? UnmatchedReasons.TopicNotCovered
                    : UnmatchedReasons.NoEligibleMentor;
            Assert.Equal(expected, unmatched.Reason);
        }
    }

    [Property(MaxTest = 500)]
    public void Pruning_the_candidates_to_one_per_mentee_never_costs_a_match(int seed)
    {
        var problem = RandomDistricts.Create(seed, maxMentors: 5, maxMentees: 7) with { CandidatesPerMentee = 1, ArcsPerPlace = 0 };

        var result = MatchingEngine.Match(problem);

        Assert.Empty(MatchingValidator.Violations(problem, result));
        Assert.Equal(ExhaustiveMatcher.Best(problem).Matched, result.MatchedMentees);
    }

    [Property(MaxTest = 500)]
    public void The_engine_never_matches_fewer_than_greedy_and_costs_no_more_when_greedy_also_reaches_the_maximum(int seed)
    {
        var problem = RandomDistricts.Create(seed);

        var ours = MatchingEngine.Match(problem);
        var greedy = GreedyMatcher.Match(problem);

        Assert.Empty(MatchingValidator.Violations(problem, greedy));
        Assert.True(ours.MatchedMentees >= greedy.MatchedMentees);
        if (greedy.MatchedMentees == ours.MatchedMentees)
        {
            Assert.True(ours.TotalCost <= greedy.TotalCost, $"ours {ours.TotalCost} > greedy {greedy.TotalCost}");
        }
    }

    [Property(MaxTest = 200)]
    public void Stable_matching_keeps_every_hard_rule(int seed)
    {
        var problem = RandomDistricts.Create(seed);

        Assert.Empty(MatchingValidator.Violations(problem, StableMatcher.Match(problem)));
    }

    [Property(MaxTest = 300)]
    public void A_speed_mentoring_event_holds_the_most_meetings_possible_shared_as_fairly_as_possible_at_the_least_cost(int seed)
    {
        var problem = RandomDistricts.Create(seed, maxMentors: 3, maxMentees: 5, rounds: 2 + Math.Abs(seed % 3));

        var result = MatchingEngine.Match(problem);

        Assert.Empty(MatchingValidator.Violations(problem, result));
        var exact = ExhaustiveMatcher.BestEvent(problem);
        var turns = result.Proposals.SelectMany(p => p.MenteeIds).CountBy(id => id).Sum(x => (long)x.Value * (x.Value - 1) / 2);
        Assert.Equal(exact.Meetings, result.MatchedMentees);
        Assert.Equal(exact.Turns, turns);
        Assert.Equal(exact.Cost, result.TotalCost);
    }

    [Property(MaxTest = 200)]
    public void Round_by_round_each_round_seats_as_many_as_the_pairs_not_yet_met_allow(int seed)
    {
        var problem = RandomDistricts.Create(seed, maxMentors: 3, maxMentees: 5, rounds: 3);

        var result = MatchingEngine.RoundByRound(problem);

        Assert.Empty(MatchingValidator.Violations(problem, result));
        var met = new HashSet<(Guid, Guid)>();
        for (var round = 1; round <= problem.Rounds; round++)
        {
            var exact = ExhaustiveMatcher.Best(problem, capacityCap: problem.Pool.GroupSize, alreadyMet: met);
            var proposals = result.Proposals.Where(p => p.Round == round).ToList();
            Assert.Equal(exact.Matched, proposals.Sum(p => p.MenteeIds.Count));
            foreach (var proposal in proposals)
            {
                Assert.All(proposal.MenteeIds, mentee => Assert.True(met.Add((proposal.MentorId, mentee))));
            }
        }
    }

    [Fact]
    public void Solving_the_event_whole_seats_more_than_round_by_round_where_an_early_round_would_leave_a_later_one_short()
    {
        var problem = SpeedEventWhereRoundByRoundFallsShort();

        var whole = MatchingEngine.Match(problem);
        var byRound = MatchingEngine.RoundByRound(problem);

        Assert.Empty(MatchingValidator.Violations(problem, whole));
        Assert.Equal(ExhaustiveMatcher.BestEvent(problem).Meetings, whole.MatchedMentees);
        Assert.True(whole.MatchedMentees > byRound.MatchedMentees, $"whole {whole.MatchedMentees}, round by round {byRound.MatchedMentees}");
    }

    [Property(MaxTest = 100)]
    public void The_same_problem_gives_the_same_result(int seed)
    {
        var problem = RandomDistricts.Create(seed, maxMentors: 8, maxMentees: 12);

        var first = MatchingEngine.Match(problem);
        var second = MatchingEngine.Match(problem);

        Assert.Equal(Describe(first), Describe(second));
    }

    [Property(MaxTest = 500)]
    public void The_compiled_rules_agree_with_the_rules_as_written_on_every_pair(int seed)
    {
        var problem = RandomDistricts.Create(seed);
        var compiled = new CompiledProblem(problem);

        for (var j = 0; j < problem.Mentors.Count; j++)
        {
            for (var e = 0; e < problem.Mentees.Count; e++)
            {
                Assert.Equal(Rules.Ineligibility(problem, problem.Mentors[j], problem.Mentees[e]) is null, compiled.Eligible(j, e));
                Assert.Equal(Rules.PairCost(problem.Weights, problem.Mentors[j], problem.Mentees[e]), compiled.PairCost(j, e));
            }
        }
    }

    /// <summary>
    /// Three mentors, four mentees, two rounds. The only full first round that costs nothing pairs A0–b1, A1–b2 and
    /// A2–b3 (shared topics); it leaves A0 and A1 with only b0 for round two. The event whole has six meetings: every
    /// mentor meets two mentees.
    /// </summary>
    static MatchingProblem SpeedEventWhereRoundByRoundFallsShort()
    {
        Person Mentor(int i, string topic) => new(new Guid(i, 0, 0, new byte[8]), $"A{i}", "Lincoln", [topic], "either", Capacity: 2);
        Person Mentee(int i, string topic) => new(new Guid(0, (short)(i + 1), 0, new byte[8]), $"b{i}", "Lincoln", [topic], "either");
        Person[] mentors = [Mentor(0, "x"), Mentor(1, "y"), Mentor(2, "z")];
        Person[] mentees = [Mentee(0, "w"), Mentee(1, "x"), Mentee(2, "y"), Mentee(3, "z")];
        var pool = new PoolRules { Exclusions = [new("A0", "b2"), new("A0", "b3"), new("A1", "b1"), new("A1", "b3"), new("A2", "b0")] };
        return new MatchingProblem(pool, new MatchingWeights(), mentors, mentees) { Rounds = 2 };
    }

    static string Describe(MatchingResult result) =>
        string.Join("\n", result.Proposals.Select(p => $"{p.Round} {p.MentorId} {string.Join(",", p.MenteeIds)} {p.Score} {string.Join(";", p.Reasons)}")
            .Concat(result.Unmatched.Select(u => $"{u.Round} {u.EnrolmentId} {u.Reason}")).Append(result.TotalCost.ToString()));
}

using Torace.Matching.Engine;
using Torace.Matching.Runs;
using Torace.Platform.Api;

namespace Torace.UnitTests.Matching;

public class GreedyMatcherTests
{
    static Person Mentor(string id, string site, int capacity, string modality = "either", params string[] topics) =>
        new(Guid.NewGuid(), id, site, topics, modality, capacity);

    static Person Mentee(string id, string site, string modality = "either", params string[] topics) =>
        new(Guid.NewGuid(), id, site, topics, modality);

    [Fact]
    public void A_mentee_gets_the_mentor_who_shares_the_most_topics()
    {
        var generalist = Mentor("M-1", "Lincoln", 1, "either", "math");
        var specialist = Mentor("M-2", "Lincoln", 1, "either", "sel", "math");
        var mentee = Mentee("E-1", "Lincoln", "either", "sel", "math");

        var result = GreedyMatcher.Match(new PoolRules("any", 1), [generalist, specialist], [mentee]);

        var proposal = Assert.Single(result.Proposals);
        Assert.Equal(specialist.Id, proposal.MentorId);
        Assert.Contains("shares topics: math, sel", proposal.Reasons);
    }

    [Fact]
    public void Same_site_pools_never_cross_sites_and_say_why_a_mentee_is_left_out()
    {
        var mentor = Mentor("M-1", "Lincoln", 5);
        var elsewhere = Mentee("E-1", "Roosevelt");

        var result = GreedyMatcher.Match(new PoolRules("same", 1), [mentor], [elsewhere]);

        Assert.Empty(result.Proposals);
        Assert.Equal(new Unmatched(elsewhere.Id, UnmatchedReasons.NoEligibleMentor), Assert.Single(result.Unmatched));
    }

    [Fact]
    public void Other_site_pools_only_cross_sites()
    {
        var mentor = Mentor("M-1", "Lincoln", 5);
        Person[] mentees = [Mentee("E-1", "Lincoln"), Mentee("E-2", "Roosevelt")];

        var result = GreedyMatcher.Match(new PoolRules("other", 1), [mentor], mentees);

        Assert.Equal([mentees[1].Id], Assert.Single(result.Proposals).MenteeIds);
    }

    [Fact]
    public void A_full_mentor_leaves_the_next_mentee_waiting_for_capacity()
    {
        var mentor = Mentor("M-1", "Lincoln", 1);
        Person[] mentees = [Mentee("E-1", "Lincoln"), Mentee("E-2", "Lincoln")];

        var result = GreedyMatcher.Match(new PoolRules("any", 1), [mentor], mentees);

        Assert.Single(result.Proposals);
        Assert.Equal(new Unmatched(mentees[1].Id, UnmatchedReasons.CapacityExhausted), Assert.Single(result.Unmatched));
    }

    [Fact]
    public void Nobody_is_matched_with_themselves()
    {
        var both = Mentor("T-1", "Lincoln", 1);
        var sameTeacher = Mentee("T-1", "Lincoln");

        Assert.Empty(GreedyMatcher.Match(new PoolRules("any", 1), [both], [sameTeacher]).Proposals);
    }

    [Theory]
    [InlineData("virtual", "in-person", "Lincoln", false)]
    [InlineData("in-person", "in-person", "Roosevelt", false)]
    [InlineData("in-person", "either", "Lincoln", true)]
    [InlineData("virtual", "either", "Roosevelt", true)]
    public void Modalities_must_meet(string mentorModality, string menteeModality, string menteeSite, bool eligible)
    {
        Assert.Equal(eligible, Eligibility.Allows(new PoolRules("any", 1), Mentor("M", "Lincoln", 1, mentorModality), Mentee("E", menteeSite, menteeModality)));
    }

    [Fact]
    public void Group_coaching_puts_up_to_group_size_mentees_in_one_proposal()
    {
        var expert = Mentor("M-1", "Lincoln", 5, "either", "sel");
        Person[] mentees = [.. Enumerable.Range(1, 5).Select(i => Mentee($"E-{i}", "Lincoln", "either", "sel"))];

        var result = GreedyMatcher.Match(new PoolRules("any", 3), [expert], mentees);

        Assert.Equal([3, 2], result.Proposals.Select(p => p.MenteeIds.Count));
        Assert.Empty(result.Unmatched);
    }

    [Fact]
    public void The_same_input_gives_the_same_output()
    {
        Person[] mentors = [Mentor("M-1", "A", 2, "either", "sel"), Mentor("M-2", "B", 2, "either", "math")];
        Person[] mentees = [Mentee("E-1", "A", "either", "math"), Mentee("E-2", "B", "either", "sel"), Mentee("E-3", "A")];

        var first = GreedyMatcher.Match(new PoolRules("any", 1), mentors, mentees);
        var second = GreedyMatcher.Match(new PoolRules("any", 1), mentors, mentees);

        Assert.Equal(first.Proposals.Select(p => (p.MentorId, p.MenteeIds[0])), second.Proposals.Select(p => (p.MentorId, p.MenteeIds[0])));
    }

    [Fact]
    public void Only_a_completed_run_with_proposals_can_be_published_and_only_once()
    {
        var run = new MatchingRun(Guid.NewGuid(), Guid.NewGuid(), RunStatus.Completed,
            [new Proposal(Guid.NewGuid(), [Guid.NewGuid()], 1, [])], [], []);

        var published = MatchingRunDecisions.Publish(run, Guid.NewGuid, DateTimeOffset.UnixEpoch);

        Assert.Single(published.MatchIds);
        Assert.Throws<Rejected>(() => MatchingRunDecisions.Publish(run.Apply(published), Guid.NewGuid, DateTimeOffset.UnixEpoch));
        Assert.Throws<Rejected>(() => MatchingRunDecisions.Publish(run with { Proposals = [] }, Guid.NewGuid, DateTimeOffset.UnixEpoch));
    }
}

using Torace.Matching.Engine;

namespace Torace.UnitTests.Matching;

/// <summary>One rule at a time: given a pool and people, when the engine matches, then this is what happens and why.</summary>
public class MatchingRulesTests
{
    static int next;

    static Person Mentor(string site = "Lincoln", int capacity = 1, string modality = "either", string[]? topics = null, string role = "teacher", string? id = null) =>
        new(Guid.NewGuid(), id ?? $"mentor-{Interlocked.Increment(ref next)}", site, topics ?? ["sel"], modality, capacity, role, 10);

    static Person Mentee(string site = "Lincoln", string modality = "either", string[]? topics = null, string role = "teacher", string? id = null, string[]? requests = null) =>
        new(Guid.NewGuid(), id ?? $"mentee-{Interlocked.Increment(ref next)}", site, topics ?? ["sel"], modality, 0, role, 2, Requests: requests);

    static MatchingResult Match(PoolRules pool, Person[] mentors, Person[] mentees, MatchingWeights? weights = null, MatchingHistory? history = null) =>
        MatchingEngine.Match(new MatchingProblem(pool, weights ?? new MatchingWeights(), mentors, mentees) { History = history ?? MatchingHistory.Empty });

    static Guid MentorOf(MatchingResult result, Person mentee) =>
        Assert.Single(result.Proposals, p => p.MenteeIds.Contains(mentee.Id)).MentorId;

    static string ReasonFor(MatchingResult result, Person mentee) =>
        Assert.Single(result.Unmatched, u => u.EnrolmentId == mentee.Id).Reason;

    [Fact]
    public void Nobody_is_matched_with_themselves()
    {
        var both = Mentor(id: "staff-7");
        var sameTeacher = Mentee(id: "staff-7");

        var result = Match(new PoolRules(), [both], [sameTeacher]);

        Assert.Equal(UnmatchedReasons.NoEligibleMentor, ReasonFor(result, sameTeacher));
    }

    [Fact]
    public void A_same_site_pool_never_crosses_sites()
    {
        var mentor = Mentor("Lincoln", capacity: 5);
        var elsewhere = Mentee("Roosevelt");

        var result = Match(new PoolRules("same"), [mentor], [elsewhere]);

        Assert.Equal(UnmatchedReasons.NoEligibleMentor, ReasonFor(result, elsewhere));
    }

    [Fact]
    public void An_other_site_pool_only_crosses_sites()
    {
        var mentor = Mentor("Lincoln", capacity: 5);
        Person[] mentees = [Mentee("Lincoln"), Mentee("Roosevelt")];

        var result = Match(new PoolRules("other"), [mentor], mentees);

        Assert.Equal(mentor.Id, MentorOf(result, mentees[1]));
        Assert.Equal(UnmatchedReasons.NoEligibleMentor, ReasonFor(result, mentees[0]));
    }

    [Theory]
    [InlineData("virtual", "in-person", "Lincoln", false)]
    [InlineData("in-person", "either", "Roosevelt", false)]
    [InlineData("in-person", "either", "Lincoln", true)]
    [InlineData("either", "virtual", "Roosevelt", true)]
    public void In_person_needs_the_same_site_and_never_meets_virtual(string mentorModality, string menteeModality, string menteeSite, bool matched)
    {
        var mentee = Mentee(menteeSite, menteeModality);

        var result = Match(new PoolRules(), [Mentor("Lincoln", modality: mentorModality)], [mentee]);

        Assert.Equal(matched ? 1 : 0, result.MatchedMentees);
    }

    [Fact]
    public void Role_and_site_filters_leave_people_outside_the_pool()
    {
        var principal = Mentee(role: "administrator");

        var result = Match(new PoolRules { MenteeRoles = ["teacher"] }, [Mentor()], [principal]);

        Assert.Equal(UnmatchedReasons.OutsidePool, ReasonFor(result, principal));
    }

    [Fact]
    public void Excluded_declined_and_repeated_pairs_are_not_proposed()
    {
        var mentor = Mentor(capacity: 3);
        Person[] mentees = [Mentee(), Mentee(), Mentee()];
        var history = new MatchingHistory
        {
            DeclinedPairs = new HashSet<PersonPair> { new(mentor.ExternalId, mentees[1].ExternalId) },
            PastPairs = new HashSet<PersonPair> { new(mentor.ExternalId, mentees[2].ExternalId) },
        };
        var pool = new PoolRules { Exclusions = [new(mentor.ExternalId, mentees[0].ExternalId)], NoRepeatPairing = true };

        var result = Match(pool, [mentor], mentees, history: history);

        Assert.Empty(result.Proposals);
        Assert.All(mentees, m => Assert.Equal(UnmatchedReasons.NoEligibleMentor, ReasonFor(result, m)));
    }

    [Fact]
    public void A_past_pair_may_meet_again_when_the_program_allows_repeats()
    {
        var mentor = Mentor();
        var mentee = Mentee();
        var history = new MatchingHistory { PastPairs = new HashSet<PersonPair> { new(mentor.ExternalId, mentee.ExternalId) } };

        Assert.Equal(1, Match(new PoolRules(), [mentor], [mentee], history: history).MatchedMentees);
    }

    [Fact]
    public void A_full_mentor_leaves_the_next_mentee_waiting_for_capacity()
    {
        Person[] mentees = [Mentee(), Mentee()];

        var result = Match(new PoolRules(), [Mentor(capacity: 1)], mentees);

        Assert.Equal(1, result.MatchedMentees);
        Assert.Equal(UnmatchedReasons.CapacityExhausted, Assert.Single(result.Unmatched).Reason);
    }

    [Fact]
    public void The_district_limit_on_concurrent_mentees_cuts_a_mentors_program_capacity()
    {
        var busy = Mentor(capacity: 3);
        Person[] mentees = [Mentee(), Mentee(), Mentee()];
        var history = new MatchingHistory { Loads = new Dictionary<string, MentorLoad> { [busy.ExternalId] = new(0, CurrentMentees: 3) } };

        var result = Match(new PoolRules { MaxConcurrentMentees = 4 }, [busy], mentees, history: history);

        Assert.Equal(1, result.MatchedMentees);
    }

    [Fact]
    public void Group_coaching_puts_several_mentees_with_one_mentor_in_groups_no_larger_than_the_program_allows()
    {
        var coach = Mentor(capacity: 5);
        Person[] mentees = [.. Enumerable.Range(0, 5).Select(_ => Mentee())];

        var result = Match(new PoolRules(GroupSize: 3), [coach], mentees);

        Assert.Equal([2, 3], result.Proposals.Select(p => p.MenteeIds.Count).Order());
        Assert.All(result.Proposals, p => Assert.Equal(coach.Id, p.MentorId));
    }

    [Fact]
    public void A_must_have_topic_leaves_a_mentee_unmatched_when_no_mentor_covers_it()
    {
        var mentee = Mentee(topics: ["family-engagement"]);

        var result = Match(new PoolRules(), [Mentor(topics: ["math"])], [mentee], new MatchingWeights(Topic: MatchingWeights.Must));

        Assert.Equal(UnmatchedReasons.TopicNotCovered, ReasonFor(result, mentee));
    }

    [Fact]
    public void Without_the_must_a_mentee_still_gets_a_mentor_who_does_not_share_the_topic()
    {
        var mentee = Mentee(topics: ["family-engagement"]);

        Assert.Equal(1, Match(new PoolRules(), [Mentor(topics: ["math"])], [mentee]).MatchedMentees);
    }

    [Fact]
    public void Topic_fit_chooses_the_mentor_who_shares_the_most_topics_and_says_so()
    {
        var generalist = Mentor(topics: ["math"]);
        var specialist = Mentor(topics: ["sel", "math"]);
        var mentee = Mentee(topics: ["sel", "math"]);

        var result = Match(new PoolRules(), [generalist, specialist], [mentee]);

        var proposal = Assert.Single(result.Proposals);
        Assert.Equal(specialist.Id, proposal.MentorId);
        Assert.Contains("topic (weight 6): shares math, sel", proposal.Reasons);
        Assert.Contains(proposal.Factors, f => f is { Name: "topic", Weight: 6, Cost: 0 });
    }

    [Fact]
    public void Load_spreading_prefers_the_mentor_who_has_carried_fewer_mentees()
    {
        var superMentor = Mentor();
        var newcomer = Mentor();
        var mentee = Mentee();
        var history = new MatchingHistory { Loads = new Dictionary<string, MentorLoad> { [superMentor.ExternalId] = new(PastMentees: 12, 0) } };

        var result = Match(new PoolRules(), [superMentor, newcomer], [mentee], history: history);

        Assert.Equal(newcomer.Id, MentorOf(result, mentee));
        Assert.Contains("loadSpreading (weight 5): the mentor's first mentee", Assert.Single(result.Proposals).Reasons);
    }

    [Fact]
    public void Load_spreading_shares_a_run_between_two_free_mentors_instead_of_filling_one()
    {
        Person[] mentors = [Mentor(capacity: 2), Mentor(capacity: 2)];
        Person[] mentees = [Mentee(), Mentee()];

        var result = Match(new PoolRules(), mentors, mentees);

        Assert.Equal(2, result.Proposals.Select(p => p.MentorId).Distinct().Count());
    }

    [Theory]
    [InlineData(6, 0, "Roosevelt")]
    [InlineData(0, 6, "Lincoln")]
    public void Cross_site_and_same_site_preferences_pick_the_site(int crossSite, int sameSite, string expectedSite)
    {
        Person[] mentors = [Mentor("Lincoln"), Mentor("Roosevelt")];
        var mentee = Mentee("Lincoln");

        var result = Match(new PoolRules(), mentors, [mentee], new MatchingWeights(CrossSite: crossSite, SameSite: sameSite));

        Assert.Equal(expectedSite, mentors.Single(m => m.Id == MentorOf(result, mentee)).Site);
    }

    [Fact]
    public void Role_fit_prefers_a_more_experienced_colleague_in_the_same_role()
    {
        Person[] mentors = [Mentor(role: "counselor"), Mentor(role: "teacher")];
        var mentee = Mentee(role: "teacher");

        Assert.Equal(mentors[1].Id, MentorOf(Match(new PoolRules(), mentors, [mentee]), mentee));
    }

    [Fact]
    public void Availability_must_share_a_weekly_slot_when_it_is_a_must()
    {
        var mentor = Mentor() with { Availability = 0b0011 };
        var mentee = Mentee() with { Availability = 0b1100 };

        var result = Match(new PoolRules(), [mentor], [mentee], new MatchingWeights(Availability: MatchingWeights.Must));

        Assert.Equal(UnmatchedReasons.NoEligibleMentor, ReasonFor(result, mentee));
    }

    [Fact]
    public void A_mentee_request_is_honoured_over_a_better_topic_fit()
    {
        var asked = Mentor(topics: ["math"]);
        var other = Mentor(topics: ["sel"]);
        var mentee = Mentee(topics: ["sel"], requests: [asked.ExternalId]);

        var result = Match(new PoolRules(), [other, asked], [mentee], new MatchingWeights(Topic: 3, Requests: 8));

        Assert.Equal(asked.Id, MentorOf(result, mentee));
        Assert.Contains("requests (weight 8): requested by the mentee", Assert.Single(result.Proposals).Reasons);
    }

    [Fact]
    public void Matching_the_most_mentees_comes_before_the_best_fit()
    {
        // The specialist fits both mentees best but has one place; the engine gives it to the mentee nobody else can take.
        var specialist = Mentor("Lincoln", modality: "in-person", topics: ["sel", "math"]);
        var remote = Mentor("Roosevelt", modality: "virtual", topics: ["art"]);
        var onlyInPerson = Mentee("Lincoln", "in-person", ["sel"]);
        var flexible = Mentee("Lincoln", "either", ["sel", "math"]);

        var result = Match(new PoolRules(), [specialist, remote], [flexible, onlyInPerson]);

        Assert.Equal(specialist.Id, MentorOf(result, onlyInPerson));
        Assert.Equal(remote.Id, MentorOf(result, flexible));
    }

    [Fact]
    public void Speed_mentoring_rounds_give_everyone_a_new_partner_each_round()
    {
        Person[] mentors = [Mentor(), Mentor(), Mentor()];
        Person[] mentees = [Mentee(), Mentee(), Mentee()];

        var result = MatchingEngine.Match(new MatchingProblem(new PoolRules(), new MatchingWeights(), mentors, mentees) { Rounds = 3 });

        Assert.Equal(9, result.MatchedMentees);
        Assert.Equal(9, result.Proposals.SelectMany(p => p.MenteeIds.Select(m => (p.MentorId, m))).Distinct().Count());
        Assert.All(Enumerable.Range(1, 3), round => Assert.Equal(3, result.Proposals.Count(p => p.Round == round)));
    }
    [Fact]
    public void A_speed_event_with_more_mentees_than_meetings_gives_everyone_a_turn_before_anyone_a_second()
    {
        Person[] mentors = [Mentor(topics: ["sel"]), Mentor(topics: ["sel"])];
        Person[] favourites = [Mentee(topics: ["sel"]), Mentee(topics: ["sel"])];
        Person[] others = [Mentee(topics: ["math"]), Mentee(topics: ["math"]), Mentee(topics: ["math"]), Mentee(topics: ["math"])];

        var result = MatchingEngine.Match(new MatchingProblem(new PoolRules(), new MatchingWeights(Topic: 9), mentors, [.. favourites, .. others]) { Rounds = 3 });

        Assert.Equal(6, result.MatchedMentees);
        Assert.All(favourites.Concat(others), mentee => Assert.Single(result.Proposals, p => p.MenteeIds.Contains(mentee.Id)));
    }
}

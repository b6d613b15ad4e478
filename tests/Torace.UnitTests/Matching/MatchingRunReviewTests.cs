using Torace.Contracts;
using Torace.Matching.Candidates;
using Torace.Matching.Engine;
using Torace.Matching.Matches;
using Torace.Matching.Problems;
using Torace.Matching.Runs;
using Torace.Platform.Api;

namespace Torace.UnitTests.Matching;

/// <summary>Given a completed run, when the coordinator reviews it, then these events (or this refusal, with its reason).</summary>
public class MatchingRunReviewTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    static readonly MatchingProgram Program = new(Guid.NewGuid(), "SEL", "topic-intervention", "sel", 1, [new SessionPlan(1, "virtual", null)],
        false, false, [], new PoolPlan("any", [], [], [], [], false, null), new MatchingPlan("manual", "batch", 1, new Dictionary<string, int>()),
        new MatchMessage("Welcome", null));

    static Candidate Person(string role, string name, string site, string modality = "either", int capacity = 0) =>
        new(Guid.NewGuid(), Guid.Empty, role, $"ext-{name}", name, $"{name}@a.org", site, ["sel"], modality, "UTC", capacity, Now, true);

    readonly Candidate ana = Person(Candidate.Mentor, "Ana", "Lincoln", "in-person", capacity: 1);
    readonly Candidate ben = Person(Candidate.Mentor, "Ben", "Roosevelt", capacity: 2);
    readonly Candidate cy = Person(Candidate.Mentee, "Cy", "Lincoln");
    readonly Candidate di = Person(Candidate.Mentee, "Di", "Roosevelt");
    readonly Candidate ed = Person(Candidate.Mentee, "Ed", "Lincoln");

    ProblemContext Context()
    {
        Candidate[] people = [ana, ben, cy, di, ed];
        var problem = new MatchingProblem(Program.PoolRules, new MatchingWeights(),
            [.. people.Where(p => p.Role == Candidate.Mentor).Select(p => p.AsPerson(Now, p.Capacity))],
            [.. people.Where(p => p.Role == Candidate.Mentee).Select(p => p.AsPerson(Now))]);
        return new ProblemContext(Program, problem, people.ToDictionary(p => p.Id));
    }

    /// <summary>Ana (in person at Lincoln) with Cy; Ben with Di; Ed waits.</summary>
    MatchingRun CompletedRun()
    {
        var context = Context();
        var run = MatchingRun.Create(new MatchingRunStarted(Guid.NewGuid(), Program.Id, RunTriggers.Coordinator, true, Now));
        RunProposal Proposal(Candidate mentor, Candidate mentee) =>
            RunProposal.From(Explanations.Describe(context.Problem, context.Mentor(mentor.Id)!, [context.Mentee(mentee.Id)!], 0), Guid.NewGuid(), RunProposal.FromEngine);
        return run.Apply(new MatchingRunCompleted(run.Id, MatchingEngine.Name, [Proposal(ana, cy), Proposal(ben, di)],
            [new RunUnmatched(ed.Id, UnmatchedReasons.CapacityExhausted)], 0, 0.1, Now));
    }

    [Fact]
    public void A_swap_that_breaks_a_hard_rule_is_refused_with_the_rule()
    {
        var run = CompletedRun();

        var refusal = Assert.Throws<Rejected>(() => MatchingRunDecisions.Swap(run, Context(), cy.Id, di.Id, Now));

        Assert.Equal(RejectionKind.Conflict, refusal.Kind);
        Assert.Contains("Di cannot be matched with Ana", refusal.Message);
        Assert.Contains("in-person needs the same site", refusal.Message);
    }

    [Fact]
    public void A_valid_swap_restates_both_proposals_with_fresh_reasons()
    {
        var run = CompletedRun();
        var context = Context();
        var runWithEd = run.After(MatchingRunDecisions.Add(run, context, ben.Id, [ed.Id], 1, Guid.NewGuid, Now));

        var swapped = MatchingRunDecisions.Swap(runWithEd, context, cy.Id, ed.Id, Now);

        var after = runWithEd.After(swapped);
        Assert.Equal(ana.Id, after.ProposalOf(ed.Id)!.MentorId);
        Assert.Equal(ben.Id, after.ProposalOf(cy.Id)!.MentorId);
        Assert.All(swapped.Revised, p => Assert.NotEmpty(p.Reasons));
    }

    [Fact]
    public void Adding_a_pair_beyond_the_mentors_capacity_is_refused()
    {
        var refusal = Assert.Throws<Rejected>(() => MatchingRunDecisions.Add(CompletedRun(), Context(), ana.Id, [ed.Id], 1, Guid.NewGuid, Now));

        Assert.Contains("0 place(s) left", refusal.Message);
    }

    [Fact]
    public void Adding_a_pair_to_a_round_the_program_does_not_have_is_refused()
    {
        var refusal = Assert.Throws<Rejected>(() => MatchingRunDecisions.Add(CompletedRun(), Context(), ben.Id, [ed.Id], 2, Guid.NewGuid, Now));

        Assert.Contains("no round 2", refusal.Message);
    }

    [Fact]
    public void Adding_a_mentee_who_is_already_proposed_is_refused_naming_the_proposal()
    {
        var run = CompletedRun();

        var refusal = Assert.Throws<Rejected>(() => MatchingRunDecisions.Add(run, Context(), ben.Id, [cy.Id], 1, Guid.NewGuid, Now));

        Assert.Contains(run.ProposalOf(cy.Id)!.Id.ToString(), refusal.Message);
    }

    [Fact]
    public void A_coordinators_pair_takes_the_mentee_off_the_unmatched_list()
    {
        var run = CompletedRun();

        var added = MatchingRunDecisions.Add(run, Context(), ben.Id, [ed.Id], 1, Guid.NewGuid, Now);

        var after = run.After(added);
        Assert.Equal(RunProposal.FromCoordinator, added.Proposal.Source);
        Assert.Empty(after.Unmatched);
        Assert.Equal(3, after.Proposals.Count);
    }

    [Fact]
    public void A_pinned_proposal_cannot_be_removed_until_unpinned()
    {
        var run = CompletedRun();
        var proposal = run.Proposals[0];
        var pinned = run.After(MatchingRunDecisions.Pin(run, proposal.Id, pinned: true));

        Assert.Throws<Rejected>(() => MatchingRunDecisions.Remove(pinned, proposal.Id, Now));

        var unpinned = pinned.After(MatchingRunDecisions.Pin(pinned, proposal.Id, pinned: false));
        var removed = unpinned.After(MatchingRunDecisions.Remove(unpinned, proposal.Id, Now));
        Assert.Contains(removed.Unmatched, u => u.EnrolmentId == cy.Id && u.Reason == RunUnmatched.RemovedByCoordinator);
    }

    [Fact]
    public void Publishing_gives_every_proposal_a_match_and_a_published_run_cannot_be_published_again()
    {
        var run = CompletedRun();

        var published = MatchingRunDecisions.Publish(run, Context(), Guid.NewGuid, Now);

        Assert.Equal(2, published.MatchIds.Distinct().Count());
        Assert.Throws<Rejected>(() => MatchingRunDecisions.Publish(run.After(published), Context(), Guid.NewGuid, Now));
    }

    [Fact]
    public void Publishing_is_refused_when_a_proposed_mentee_was_matched_elsewhere_since()
    {
        var run = CompletedRun();
        var context = Context();
        var withoutCy = context with { Problem = context.Problem with { Mentees = [.. context.Problem.Mentees.Where(m => m.Id != cy.Id)] } };

        var refusal = Assert.Throws<Rejected>(() => MatchingRunDecisions.Publish(run, withoutCy, Guid.NewGuid, Now));

        Assert.Contains($"mentee {cy.Id} is no longer waiting", refusal.Message);
    }

    [Fact]
    public void A_mentee_declining_a_group_leaves_the_match_running_and_the_last_one_ends_it()
    {
        var group = Match.Create(new MatchPublished(Guid.NewGuid(), Guid.NewGuid(), Program, MatchedPerson.From(ben),
            [MatchedPerson.From(di), MatchedPerson.From(ed)], 90, [], Now));

        var first = MatchDecisions.Decline(group, di.Id, "schedule", Now);
        var afterFirst = group.Apply(first);
        var last = MatchDecisions.Decline(afterFirst, ed.Id, null, Now);

        Assert.False(first.EndsMatch);
        Assert.Equal(MatchStatus.Published, afterFirst.Status);
        Assert.True(last.EndsMatch);
        Assert.Equal(MatchStatus.Declined, afterFirst.Apply(last).Status);
        Assert.Throws<Rejected>(() => MatchDecisions.Decline(afterFirst, di.Id, null, Now));
    }

    [Fact]
    public void A_participant_who_withdraws_leaves_the_match_and_the_mentor_withdrawing_ends_it()
    {
        var group = Match.Create(new MatchPublished(Guid.NewGuid(), Guid.NewGuid(), Program, MatchedPerson.From(ben),
            [MatchedPerson.From(di), MatchedPerson.From(ed)], 90, [], Now));

        var menteeLeft = MatchDecisions.Withdraw(group, di.Id, Now)!;
        var afterMentee = group.Apply(menteeLeft);
        var mentorLeft = MatchDecisions.Withdraw(afterMentee, ben.Id, Now)!;

        Assert.True(menteeLeft.Withdrawn);
        Assert.False(menteeLeft.EndsMatch);
        Assert.Equal(MatchDecisions.WithdrawnReason, menteeLeft.Reason);
        Assert.Equal([ed.Id], afterMentee.Seated.Select(m => m.EnrolmentId));
        Assert.True(mentorLeft.EndsMatch);
        Assert.Equal(MatchStatus.Withdrawn, afterMentee.Apply(mentorLeft).Status);
    }

    [Fact]
    public void Withdrawing_from_a_match_one_is_no_longer_in_changes_nothing()
    {
        var match = Match.Create(new MatchPublished(Guid.NewGuid(), Guid.NewGuid(), Program, MatchedPerson.From(ben), [MatchedPerson.From(di)], 90, [], Now));
        var declined = match.Apply(MatchDecisions.Decline(match, di.Id, "schedule", Now));

        Assert.Null(MatchDecisions.Withdraw(match, cy.Id, Now));
        Assert.Null(MatchDecisions.Withdraw(declined, di.Id, Now));
        Assert.Null(MatchDecisions.Withdraw(declined, ben.Id, Now));
    }

    [Fact]
    public void A_withdrawal_neither_rules_the_pair_out_nor_counts_as_mentoring()
    {
        Match Published(params Candidate[] mentees) => Match.Create(new MatchPublished(Guid.NewGuid(), Guid.NewGuid(), Program, MatchedPerson.From(ben),
            [.. mentees.Select(MatchedPerson.From)], 90, [], Now));
        var menteeWithdrew = Published(cy);
        var declinedThenMentorWithdrew = Published(di, ed);
        var afterDecline = declinedThenMentorWithdrew.Apply(MatchDecisions.Decline(declinedThenMentorWithdrew, di.Id, null, Now));

        var history = MatchingProblems.History([
            menteeWithdrew.Apply(MatchDecisions.Withdraw(menteeWithdrew, cy.Id, Now)!),
            afterDecline.Apply(MatchDecisions.Withdraw(afterDecline, ben.Id, Now)!),
        ]);

        Assert.Equal(default, history.LoadOf(ben.ExternalId));
        Assert.Empty(history.PastPairs);
        Assert.Equal([new PersonPair(ben.ExternalId, di.ExternalId)], history.DeclinedPairs);
    }

    [Fact]
    public void A_new_run_keeps_the_pinned_proposals_and_matches_only_the_rest()
    {
        var run = CompletedRun();
        var bens = run.Proposals.Single(p => p.MentorId == ben.Id);
        var earlier = run.After(MatchingRunDecisions.Pin(run, bens.Id, pinned: true));

        var (kept, remaining) = MatchingRunDecisions.KeepPinned(earlier, Context());

        Assert.Equal([bens.Id], kept.Select(p => p.Id));
        Assert.DoesNotContain(remaining.Problem.Mentees, m => m.Id == di.Id);
        Assert.Equal(1, remaining.Mentor(ben.Id)!.Capacity);
        Assert.Equal(1, remaining.Mentor(ana.Id)!.Capacity);
    }

    [Fact]
    public void Mentor_load_history_comes_from_the_matches_running_completed_and_declined()
    {
        Match Published(Candidate mentee) => Match.Create(new MatchPublished(Guid.NewGuid(), Guid.NewGuid(), Program, MatchedPerson.From(ben),
            [MatchedPerson.From(mentee)], 90, [], Now));
        var running = Published(cy);
        var completed = Published(di);
        var declined = Published(ed);

        var history = MatchingProblems.History([
            running,
            completed.Apply(MatchDecisions.Complete(completed, Now)!),
            declined.Apply(MatchDecisions.Decline(declined, ed.Id, null, Now)),
        ]);

        Assert.Equal(new MentorLoad(PastMentees: 1, CurrentMentees: 1), history.LoadOf(ben.ExternalId));
        Assert.Equal([new PersonPair(ben.ExternalId, cy.ExternalId), new PersonPair(ben.ExternalId, di.ExternalId)], history.PastPairs.OrderBy(p => p.Mentee));
        Assert.Equal([new PersonPair(ben.ExternalId, ed.ExternalId)], history.DeclinedPairs);
    }
}

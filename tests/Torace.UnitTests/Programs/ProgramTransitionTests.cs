using Torace.Contracts;
using Torace.Platform.Api;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;
using static Torace.UnitTests.Programs.ProgramLifecycleTests;

namespace Torace.UnitTests.Programs;

public class ProgramTransitionTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly Guid ProgramId = Guid.NewGuid();

    static ProgramCreated Created() => ProgramDecisions.Create(ProgramId, Definition(), Now);

    static ProgramOpened Opened() => new(ProgramId, Definition(), Now);

    static ProgramState Then(ProgramState state, IReadOnlyList<object> events) => events.Aggregate(state, ProgramState.Replay);

    static Rejected Refused(Action decide) => Assert.Throws<Rejected>(decide);

    [Fact]
    public void A_draft_can_be_edited_and_takes_the_whole_new_definition()
    {
        var edited = Definition() with { Name = "SEL in practice, spring" };

        var events = ProgramDecisions.Edit(Given(Created()), edited, Now);

        Assert.Equal("SEL in practice, spring", Then(Given(Created()), events).Definition.Name);
    }

    [Fact]
    public void An_open_program_cannot_be_edited_and_the_refusal_names_its_state()
    {
        var rejected = Refused(() => ProgramDecisions.Edit(Given(Created(), Opened()), Definition(), Now));

        Assert.Equal(RejectionKind.Conflict, rejected.Kind);
        Assert.Contains("open", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Closing_enrolment_keeps_the_status_but_refuses_new_enrolments()
    {
        var open = Given(Created(), Opened());

        var closed = Then(open, ProgramDecisions.CloseEnrolment(open, Now));

        Assert.Equal(ProgramStatus.Open, closed.Status);
        Assert.False(closed.AcceptsEnrolments);
        var rejected = Refused(() => EnrolmentDecisions.Enrol(closed, null, Enrolled("T-9")));
        Assert.Contains("closed", rejected.Message, StringComparison.Ordinal);
        Assert.Empty(ProgramDecisions.CloseEnrolment(closed, Now));
    }

    [Fact]
    public void A_draft_has_no_enrolment_to_close()
    {
        Assert.Contains("draft", Refused(() => ProgramDecisions.CloseEnrolment(Given(Created()), Now)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_published_match_starts_the_program_and_later_ones_change_nothing()
    {
        var matching = Given(Created(), Opened(), new MatchingRequested(ProgramId, Guid.NewGuid(), [], null, Now));

        var running = Then(matching, ProgramDecisions.Start(matching, Guid.NewGuid(), Now));

        Assert.Equal(ProgramStatus.Running, running.Status);
        Assert.Empty(ProgramDecisions.Start(running, Guid.NewGuid(), Now));
    }

    [Fact]
    public void A_continuous_program_starts_from_open_when_its_first_placement_is_published()
    {
        Assert.IsType<ProgramStarted>(Assert.Single(ProgramDecisions.Start(Given(Created(), Opened()), Guid.NewGuid(), Now)));
    }

    [Fact]
    public void A_running_program_takes_late_enrolments_and_can_be_matched_again()
    {
        var running = Given(Created(), Opened(), new ProgramStarted(ProgramId, Guid.NewGuid(), Now));

        Assert.Equal(EnrolOutcome.Created, EnrolmentDecisions.Enrol(running, null, Enrolled("T-late")).Outcome);
        var again = Then(running, ProgramDecisions.RequestMatching(running, Guid.NewGuid(), [], null, Now));
        Assert.Equal(ProgramStatus.Running, again.Status);
    }

    [Fact]
    public void A_running_program_completes_only_when_no_engagement_is_still_going()
    {
        var running = Given(Created(), Opened(), new ProgramStarted(ProgramId, Guid.NewGuid(), Now));

        Assert.Empty(ProgramDecisions.Complete(running, engagements: 3, stillGoing: 1, Now));
        var completed = Then(running, ProgramDecisions.Complete(running, engagements: 3, stillGoing: 0, Now));

        Assert.Equal(ProgramStatus.Completed, completed.Status);
        Assert.False(completed.AcceptsEnrolments);
        Assert.Empty(ProgramDecisions.Complete(completed, 3, 0, Now));
    }

    [Fact]
    public void A_program_without_engagements_is_not_completed()
    {
        var running = Given(Created(), Opened(), new ProgramStarted(ProgramId, Guid.NewGuid(), Now));

        Assert.Empty(ProgramDecisions.Complete(running, engagements: 0, stillGoing: 0, Now));
    }

    [Fact]
    public void Cancelling_records_the_reason_and_the_name_participants_are_told()
    {
        var running = Given(Created(), Opened(), new ProgramStarted(ProgramId, Guid.NewGuid(), Now));

        var cancelled = Assert.IsType<ProgramCancelled>(Assert.Single(ProgramDecisions.Cancel(running, "Too few mentors", Now)));
        var after = Then(running, [cancelled]);

        Assert.Equal("SEL in practice", cancelled.ProgramName);
        Assert.Equal(ProgramStatus.Cancelled, after.Status);
        Assert.Equal("Too few mentors", after.CancellationReason);
        Assert.Empty(ProgramDecisions.Cancel(after, "again", Now));
        Assert.Contains("cancelled", Refused(() => ProgramDecisions.Open(after, Now)).Message, StringComparison.Ordinal);
        Assert.Contains("cancelled", Refused(() => EnrolmentDecisions.Enrol(after, null, Enrolled("T-2"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_completed_program_cannot_be_cancelled()
    {
        var completed = Given(Created(), Opened(), new ProgramStarted(ProgramId, Guid.NewGuid(), Now), new ProgramCompleted(ProgramId, 2, Now));

        Assert.Contains("completed", Refused(() => ProgramDecisions.Cancel(completed, "late", Now)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancelled_program_cannot_be_matched()
    {
        var cancelled = Given(Created(), Opened(), new ProgramCancelled(ProgramId, "SEL in practice", "budget", Now));

        Assert.Equal(RejectionKind.Conflict, Refused(() => ProgramDecisions.RequestMatching(cancelled, Guid.NewGuid(), [], null, Now)).Kind);
    }

    [Theory]
    [InlineData(1, "one-session")]
    [InlineData(2, "two-session")]
    [InlineData(3, "three-session")]
    [InlineData(4, "regular-mentoring")]
    [InlineData(8, "regular-mentoring")]
    public void A_program_with_more_than_three_sessions_is_regular_mentoring(int sessions, string format)
    {
        var definition = Definition() with { Sessions = [.. Enumerable.Range(1, sessions).Select(n => new SessionPlan(n, "virtual", null))] };

        Assert.Equal(format, definition.Format);
    }

    [Fact]
    public void Changing_the_profile_of_a_withdrawn_enrolment_is_refused()
    {
        var enrolment = Enrolment.Create(Enrolled("T-1"));
        var withdrawn = enrolment.Apply(new ParticipantWithdrawn(ProgramId, enrolment.Id, Now));

        var rejected = Refused(() => EnrolmentDecisions.ChangeProfile(Given(Created(), Opened()), withdrawn, Enrolled("T-1", name: "Sue"), Now));

        Assert.Contains("withdrawn", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_change_keeps_the_role_external_id_and_the_time_of_enrolment()
    {
        var enrolment = Enrolment.Create(Enrolled("T-1"));

        var changed = Assert.IsType<ParticipantProfileChanged>(Assert.Single(EnrolmentDecisions.ChangeProfile(
            Given(Created(), Opened()), enrolment, Enrolled("T-1", name: "Sue", at: Now.AddDays(3)) with { Role = Roles.Mentor }, Now.AddDays(3))));

        Assert.Equal(Roles.Mentee, changed.Profile.Role);
        Assert.Equal(Now, changed.Profile.EnrolledAt);
        Assert.Equal("Sue", changed.Profile.Name);
    }

    [Fact]
    public void The_same_profile_again_is_no_change()
    {
        var enrolment = Enrolment.Create(Enrolled("T-1"));

        Assert.Empty(EnrolmentDecisions.ChangeProfile(Given(Created(), Opened()), enrolment, Enrolled("T-1", at: Now.AddDays(1)), Now.AddDays(1)));
    }
}

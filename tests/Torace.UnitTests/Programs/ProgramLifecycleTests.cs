using Torace.Contracts;
using Torace.Platform.Api;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.UnitTests.Programs;

public class ProgramLifecycleTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly Guid ProgramId = Guid.NewGuid();

    internal static ProgramDefinition Definition() => new(
        "SEL in practice", "topic-intervention", "sel", [new SessionPlan(1, "virtual", Now.AddDays(7))], 1,
        PreReflection: true, PostReflection: false, [],
        new PoolPlan("any", [], [], [], [], false, null), new MatchingPlan("manual", "batch", 1, new Dictionary<string, int>()),
        new MatchMessage("Welcome", null));

    internal static ProgramState Given(params object[] events) => events.Aggregate((ProgramState?)null, ProgramState.Replay)!;

    static ProgramState Open() => Given(Created(), new ProgramOpened(ProgramId, Definition(), Now));

    static ProgramCreated Created() => ProgramDecisions.Create(ProgramId, Definition(), Now);

    internal static ParticipantEnrolled Enrolled(string externalId, string role = Roles.Mentee, string name = "Sam", DateTimeOffset? at = null) =>
        new(ProgramId, Enrolment.IdFor(ProgramId, role, externalId), role, externalId, name, "sam@a.org", "Lincoln", ["sel"], "either", "UTC",
            role == Roles.Mentor ? 2 : 0, at ?? Now);

    [Fact]
    public void A_new_program_starts_as_a_draft()
    {
        Assert.Equal(ProgramStatus.Draft, Given(Created()).Status);
    }

    [Fact]
    public void Opening_a_draft_opens_enrolment_and_carries_the_definition()
    {
        var program = Given(Created());

        var events = ProgramDecisions.Open(program, Now);

        var opened = Assert.IsType<ProgramOpened>(Assert.Single(events));
        Assert.Same(program.Definition, opened.Definition);
        Assert.Equal(ProgramStatus.Open, program.Apply(opened).Status);
    }

    [Fact]
    public void Opening_an_open_program_again_changes_nothing()
    {
        Assert.Empty(ProgramDecisions.Open(Open(), Now));
    }

    [Fact]
    public void Enrolling_in_a_draft_is_rejected_as_a_conflict()
    {
        var rejected = Assert.Throws<Rejected>(() => EnrolmentDecisions.Enrol(Given(Created()), null, Enrolled("T-1")));

        Assert.Equal(RejectionKind.Conflict, rejected.Kind);
    }

    [Fact]
    public void Enrolling_in_an_open_program_records_the_profile_snapshot()
    {
        var enrolment = Enrolled("T-1");

        var (outcome, events) = EnrolmentDecisions.Enrol(Open(), null, enrolment);

        Assert.Equal(EnrolOutcome.Created, outcome);
        Assert.Equal(enrolment, Assert.Single(events));
    }

    [Fact]
    public void An_enrolment_id_is_the_same_for_the_same_person_and_role_in_the_same_program()
    {
        Assert.Equal(Enrolment.IdFor(ProgramId, Roles.Mentee, "T-1"), Enrolment.IdFor(ProgramId, Roles.Mentee, " t-1 "));
        Assert.NotEqual(Enrolment.IdFor(ProgramId, Roles.Mentee, "T-1"), Enrolment.IdFor(ProgramId, Roles.Mentor, "T-1"));
        Assert.NotEqual(Enrolment.IdFor(ProgramId, Roles.Mentee, "T-1"), Enrolment.IdFor(Guid.NewGuid(), Roles.Mentee, "T-1"));
    }

    [Fact]
    public void Enrolling_the_same_person_again_with_the_same_profile_changes_nothing()
    {
        var existing = Enrolment.Create(Enrolled("T-1"));

        var (outcome, events) = EnrolmentDecisions.Enrol(Open(), existing, Enrolled("T-1", at: Now.AddHours(1)));

        Assert.Equal(EnrolOutcome.Unchanged, outcome);
        Assert.Empty(events);
    }

    [Fact]
    public void Enrolling_the_same_person_again_with_another_profile_changes_their_profile_under_the_same_id()
    {
        var existing = Enrolment.Create(Enrolled("T-1"));

        var (outcome, events) = EnrolmentDecisions.Enrol(Open(), existing, Enrolled("T-1", name: "Samantha", at: Now.AddHours(1)));

        Assert.Equal(EnrolOutcome.Updated, outcome);
        var changed = Assert.IsType<ParticipantProfileChanged>(Assert.Single(events));
        Assert.Equal(existing.Id, changed.EnrolmentId);
        Assert.Equal("Samantha", changed.Profile.Name);
        Assert.Equal(Now, changed.Profile.EnrolledAt);
        Assert.Equal(Now.AddHours(1), changed.ChangedAt);
        Assert.Equal("Samantha", existing.Apply(changed).Profile.Name);
    }

    [Fact]
    public void A_program_being_matched_still_takes_enrolments_for_its_waitlist()
    {
        var matching = Given(Created(), new ProgramOpened(ProgramId, Definition(), Now), new MatchingRequested(ProgramId, Guid.NewGuid(), [], null, Now));

        Assert.Equal(ProgramStatus.Matching, matching.Status);
        Assert.Equal(EnrolOutcome.Created, EnrolmentDecisions.Enrol(matching, null, Enrolled("T-1")).Outcome);
    }

    [Fact]
    public void Withdrawing_frees_the_person_to_enrol_again_under_the_same_id()
    {
        var enrolment = Enrolment.Create(Enrolled("T-1"));

        var withdrawn = Assert.IsType<ParticipantWithdrawn>(Assert.Single(EnrolmentDecisions.Withdraw(enrolment, Now)));
        var after = enrolment.Apply(withdrawn);

        Assert.False(after.Active);
        Assert.Empty(EnrolmentDecisions.Withdraw(after, Now));
        var again = Assert.IsType<ParticipantEnrolled>(Assert.Single(EnrolmentDecisions.Enrol(Open(), after, Enrolled("T-1")).Events));
        Assert.Equal(enrolment.Id, again.EnrolmentId);
        Assert.True(after.Apply(again).Active);
    }

    [Fact]
    public void Matching_a_draft_is_refused_and_matching_an_open_program_names_the_enrolments_it_covers()
    {
        IReadOnlyList<Guid> covered = [Guid.NewGuid(), Guid.NewGuid()];

        Assert.Throws<Rejected>(() => ProgramDecisions.RequestMatching(Given(Created()), Guid.NewGuid(), covered, null, Now));
        var requested = Assert.IsType<MatchingRequested>(Assert.Single(ProgramDecisions.RequestMatching(Open(), Guid.NewGuid(), covered, null, Now)));
        Assert.Equal(covered, requested.EnrolmentIds);
    }
}

using System.Collections.Immutable;
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

    static ProgramState Given(params object[] events) =>
        events.Skip(1).Aggregate(ProgramState.Create((ProgramCreated)events[0]), (state, e) => e switch
        {
            ProgramOpened o => state.Apply(o),
            ParticipantEnrolled p => state.Apply(p),
            ParticipantWithdrawn w => state.Apply(w),
            _ => throw new ArgumentException(e.GetType().Name),
        });

    static ProgramCreated Created() => ProgramDecisions.Create(ProgramId, Definition(), Now);

    static ParticipantEnrolled Enrolled(string externalId, string role = Roles.Mentee, Guid? id = null) =>
        new(ProgramId, id ?? Guid.NewGuid(), role, externalId, "Sam", "sam@a.org", "Lincoln", ["sel"], "either", "UTC", role == Roles.Mentor ? 2 : 0, Now);

    [Fact]
    public void A_new_program_starts_as_a_draft()
    {
        var program = Given(Created());

        Assert.Equal(ProgramStatus.Draft, program.Status);
        Assert.Empty(program.Enrolments);
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
        Assert.Empty(ProgramDecisions.Open(Given(Created(), new ProgramOpened(ProgramId, Definition(), Now)), Now));
    }

    [Fact]
    public void Enrolling_in_a_draft_is_rejected_as_a_conflict()
    {
        var rejected = Assert.Throws<Rejected>(() => EnrolmentDecisions.Enrol(Given(Created()), Enrolled("T-1")));

        Assert.Equal(RejectionKind.Conflict, rejected.Kind);
    }

    [Fact]
    public void Enrolling_in_an_open_program_records_the_profile_snapshot()
    {
        var enrolment = Enrolled("T-1");

        var events = EnrolmentDecisions.Enrol(Given(Created(), new ProgramOpened(ProgramId, Definition(), Now)), enrolment);

        Assert.Equal(enrolment, Assert.Single(events));
    }

    [Fact]
    public void The_same_person_cannot_enrol_twice_in_the_same_role()
    {
        var program = Given(Created(), new ProgramOpened(ProgramId, Definition(), Now), Enrolled("T-1"));

        Assert.Throws<Rejected>(() => EnrolmentDecisions.Enrol(program, Enrolled("T-1")));
        Assert.Single(EnrolmentDecisions.Enrol(program, Enrolled("T-1", Roles.Mentor)));
    }

    [Fact]
    public void Withdrawing_frees_the_person_to_enrol_again()
    {
        var id = Guid.NewGuid();
        var program = Given(Created(), new ProgramOpened(ProgramId, Definition(), Now), Enrolled("T-1", id: id));

        var withdrawn = Assert.IsType<ParticipantWithdrawn>(Assert.Single(EnrolmentDecisions.Withdraw(program, id, Now)));
        var after = program.Apply(withdrawn);

        Assert.Empty(EnrolmentDecisions.Withdraw(after, id, Now));
        Assert.Single(EnrolmentDecisions.Enrol(after, Enrolled("T-1")));
        Assert.Equal(0, after.ActiveMentees);
    }

    [Fact]
    public void Withdrawing_an_unknown_enrolment_is_not_found()
    {
        var rejected = Assert.Throws<Rejected>(() => EnrolmentDecisions.Withdraw(Given(Created()), Guid.NewGuid(), Now));

        Assert.Equal(RejectionKind.NotFound, rejected.Kind);
    }
}

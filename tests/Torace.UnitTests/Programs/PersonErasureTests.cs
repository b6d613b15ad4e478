using Torace.Contracts;
using Torace.Platform.Api;
using Torace.Platform.Erasure;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.UnitTests.Programs;

public class PersonErasureTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 3, 8, 0, 0, TimeSpan.Zero);
    static readonly Guid Pseudonym = Guid.NewGuid();

    static ProgramState Open(Guid programId) => ProgramLifecycleTests.Given(
        ProgramDecisions.Create(programId, ProgramLifecycleTests.Definition(), Now.AddDays(-2)),
        new ProgramOpened(programId, ProgramLifecycleTests.Definition(), Now.AddDays(-2)));

    static Enrolment Given(params object[] events) => events.Skip(1).Aggregate(Enrolment.Create((ParticipantEnrolled)events[0]), (state, e) => e switch
    {
        ParticipantWithdrawn w => state.Apply(w),
        PersonalDataErased erased => state.Apply(erased),
        _ => state,
    });

    [Fact]
    public void Erasing_an_enrolment_keeps_role_site_and_times_and_nothing_that_says_who_it_was()
    {
        var enrolled = ProgramLifecycleTests.Enrolled("T-1", Roles.Mentor, name: "Maria Lopez");
        var enrolment = Given(enrolled);

        var erased = Assert.IsType<PersonalDataErased>(Assert.Single(EnrolmentDecisions.Erase(enrolment, Pseudonym, Now)));
        var after = enrolment.Apply(erased);

        Assert.Equal((Erased.Name, Erased.Email, Erased.ExternalId(Pseudonym)), (after.Profile.Name, after.Profile.Email, after.Profile.ExternalId));
        Assert.Equal((enrolled.Role, enrolled.Site, enrolled.EnrolledAt, true), (after.Profile.Role, after.Profile.Site, after.Profile.EnrolledAt, after.Active));
        Assert.Equal(Now, after.ErasedAt);
    }

    [Fact]
    public void Erasing_an_erased_enrolment_again_changes_nothing()
    {
        var enrolled = ProgramLifecycleTests.Enrolled("T-2");

        Assert.Empty(EnrolmentDecisions.Erase(Given(enrolled, new PersonalDataErased(enrolled.ProgramId, enrolled.EnrolmentId, Pseudonym, Now)), Pseudonym, Now.AddHours(1)));
    }

    [Fact]
    public void An_erased_person_cannot_be_enrolled_again_under_the_same_external_id()
    {
        var enrolled = ProgramLifecycleTests.Enrolled("T-3");
        var erased = Given(enrolled, new PersonalDataErased(enrolled.ProgramId, enrolled.EnrolmentId, Pseudonym, Now));

        var refused = Assert.Throws<Rejected>(() => EnrolmentDecisions.Enrol(Open(enrolled.ProgramId), erased, enrolled with { EnrolledAt = Now.AddDays(1) }));

        Assert.Equal(RejectionKind.Conflict, refused.Kind);
        Assert.Contains("new externalId", refused.Message, StringComparison.Ordinal);
    }
}

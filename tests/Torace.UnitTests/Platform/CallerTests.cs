using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.UnitTests.Platform;

public class CallerTests
{
    static readonly Guid Own = Guid.NewGuid();
    static readonly Guid Other = Guid.NewGuid();

    static Caller Integrator() => new("demo-a", Actors.Integrator, new HashSet<string> { Scopes.Read, Scopes.Write }, "key");

    static Caller Participant() => new("demo-a", Actors.Participant, new HashSet<string>(), Own.ToString(), EnrolmentId: Own,
        Action: ParticipantActions.DeclineMatch);

    [Fact]
    public void A_participant_acts_for_the_enrolment_in_its_token_when_it_names_none_or_its_own()
    {
        Assert.Equal(Own, Participant().ActingFor(null));
        Assert.Equal(Own, Participant().ActingFor(Own));
    }

    [Fact]
    public void A_participant_naming_another_enrolment_is_forbidden()
    {
        var refused = Assert.Throws<Rejected>(() => Participant().ActingFor(Other));

        Assert.Equal(RejectionKind.Forbidden, refused.Kind);
    }

    [Fact]
    public void Any_other_caller_acts_for_the_enrolment_it_names_and_names_none_by_default()
    {
        Assert.Equal(Other, Integrator().ActingFor(Other));
        Assert.Null(Integrator().ActingFor(null));
    }

    [Fact]
    public void A_participant_may_act_only_on_what_its_enrolment_takes_part_in()
    {
        Participant().RequireParticipantIn([Other, Own]);
        Integrator().RequireParticipantIn([Other]);

        Assert.Equal(RejectionKind.Forbidden, Assert.Throws<Rejected>(() => Participant().RequireParticipantIn([Other])).Kind);
        Assert.Equal(RejectionKind.Forbidden, Assert.Throws<Rejected>(() => Participant().RequireParticipantIn([])).Kind);
    }
}

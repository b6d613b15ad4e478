using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Torace.Gateway;
using Torace.Platform.Tenancy;

namespace Torace.UnitTests.Platform;

public class ParticipantLinkSignerTests
{
    static ParticipantLinkSigner Signer() => new(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public async Task A_link_names_the_participant_its_one_action_and_when_it_stops()
    {
        var signer = Signer();
        var enrolment = Guid.NewGuid();
        var link = signer.Issue("demo-a", enrolment, ParticipantActions.CompleteSession, TimeSpan.FromHours(2), DateTimeOffset.UtcNow);

        var participant = (await signer.Check(link.Token)).Participant;

        Assert.NotNull(participant);
        Assert.Equal(("demo-a", Actors.Participant, enrolment, ParticipantActions.CompleteSession), (participant.TenantId, participant.Actor, participant.EnrolmentId, participant.Action));
        Assert.Equal(enrolment.ToString(), participant.Subject);
        Assert.Empty(participant.Scopes);
        Assert.Equal(link.ExpiresAt, participant.ActionExpiresAt);
    }

    [Fact]
    public async Task A_link_stops_exactly_when_it_says_whatever_clock_skew_is_allowed()
    {
        var signer = Signer();
        var link = signer.Issue("demo-a", Guid.NewGuid(), ParticipantActions.DeclineMatch, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow.AddSeconds(-70));

        var check = await signer.Check(link.Token);

        Assert.Null(check.Participant);
        Assert.Contains("expired", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_signed_with_another_key_is_refused()
    {
        var link = Signer().Issue("demo-a", Guid.NewGuid(), ParticipantActions.DeclineMatch, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

        var check = await Signer().Check(link.Token);

        Assert.Null(check.Participant);
        Assert.Contains("signature", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_for_no_enrolment_an_unknown_action_or_too_long_is_not_signed()
    {
        var signer = Signer();
        var now = DateTimeOffset.UtcNow;

        Assert.Throws<ArgumentException>(() => signer.Issue("demo-a", Guid.Empty, ParticipantActions.DeclineMatch, TimeSpan.FromHours(1), now));
        Assert.Throws<ArgumentException>(() => signer.Issue("demo-a", Guid.NewGuid(), "withdraw", TimeSpan.FromHours(1), now));
        Assert.Throws<ArgumentException>(() => signer.Issue("demo-a", Guid.NewGuid(), ParticipantActions.DeclineMatch, TimeSpan.FromDays(31), now));
        Assert.Throws<ArgumentException>(() => signer.Issue("demo-a", Guid.NewGuid(), ParticipantActions.DeclineMatch, TimeSpan.FromHours(1), now,
            LinkTargets.Touchpoint(Guid.NewGuid(), Guid.NewGuid())));
        Assert.Throws<InvalidOperationException>(() => new GatewaySecrets(Convert.ToBase64String(new byte[16])));
    }

    [Fact]
    public async Task A_link_says_what_it_acts_on()
    {
        var signer = Signer();
        var target = LinkTargets.Touchpoint(Guid.NewGuid(), Guid.NewGuid());
        var link = signer.Issue("demo-a", Guid.NewGuid(), ParticipantActions.SubmitTouchpoint, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, target);

        var check = await signer.Check(link.Token);

        Assert.Equal(target, check.Target);
        Assert.Null((await signer.Check(signer.Issue("demo-a", Guid.NewGuid(), ParticipantActions.StopReminders, TimeSpan.FromHours(1), DateTimeOffset.UtcNow).Token)).Target);
    }

    [Theory]
    [InlineData(ParticipantActions.DeclineMatch, "programs/{0}/matches/{1}", true)]
    [InlineData(ParticipantActions.DeclineMatch, "engagements/{0}/touchpoints/{1}", false)]
    [InlineData(ParticipantActions.SubmitTouchpoint, "engagements/{0}/touchpoints/{1}", true)]
    [InlineData(ParticipantActions.GiveFeedback, "engagements/{0}/touchpoints/{1}", true)]
    [InlineData(ParticipantActions.ScheduleSession, "engagements/{0}/sessions/2", true)]
    [InlineData(ParticipantActions.CompleteSession, "engagements/{0}/sessions/0", false)]
    [InlineData(ParticipantActions.CompleteSession, "engagements/{0}/sessions/2/../../x", false)]
    [InlineData(ParticipantActions.WithdrawFromEngagement, "engagements/{0}", true)]
    [InlineData(ParticipantActions.StopReminders, "programs/{0}/enrolments/{1}", true)]
    [InlineData(ParticipantActions.StopReminders, "programs/{0}/enrolments/{1}/", false)]
    [InlineData(ParticipantActions.StopReminders, "/programs/{0}/enrolments/{1}", false)]
    public void Each_action_acts_on_one_kind_of_thing(string action, string shape, bool fits) =>
        Assert.Equal(fits, LinkTargets.Fits(action, string.Format(shape, Guid.NewGuid(), Guid.NewGuid())));
}

using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Torace.Platform.Tenancy;

namespace Torace.UnitTests.Platform;

public class ServiceTokenTests
{
    static ServiceTokenOptions Options() => new() { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    static async Task<(Caller Caller, JsonWebToken Token)> RoundTrip(ServiceTokenOptions options, string token)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, ServiceToken.ValidationParameters(options));
        Assert.True(result.IsValid, result.Exception?.Message);
        return (new ClaimsPrincipal(result.ClaimsIdentity).Caller(), (JsonWebToken)result.SecurityToken);
    }

    [Fact]
    public async Task A_token_carries_the_district_it_was_minted_for()
    {
        var options = Options();

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(
            ServiceToken.Issue(options, "demo-a", DateTimeOffset.UtcNow), ServiceToken.ValidationParameters(options));

        Assert.True(result.IsValid);
        Assert.Equal("demo-a", result.ClaimsIdentity.FindFirst(ServiceToken.TenantClaim)?.Value);
    }

    [Fact]
    public async Task A_token_minted_for_a_district_alone_is_the_system_with_every_scope()
    {
        var options = Options();

        var (caller, _) = await RoundTrip(options, ServiceToken.Issue(options, "demo-a", DateTimeOffset.UtcNow));

        Assert.Equal("demo-a", caller.TenantId);
        Assert.Equal(Actors.System, caller.Actor);
        Assert.Equal(Scopes.All.Order(), caller.Scopes.Order());
        Assert.False(caller.IsParticipant);
    }

    [Fact]
    public async Task An_integrators_token_carries_its_scopes_and_key_id_and_nothing_it_was_not_given()
    {
        var options = Options();
        var keyId = Guid.NewGuid().ToString();
        var sent = new Caller("demo-a", Actors.Integrator, new HashSet<string> { Scopes.Read, Scopes.Write }, keyId);

        var (caller, _) = await RoundTrip(options, ServiceToken.Issue(options, sent, DateTimeOffset.UtcNow));

        Assert.Equal(("demo-a", Actors.Integrator, keyId), (caller.TenantId, caller.Actor, caller.Subject));
        Assert.Equal([Scopes.Read, Scopes.Write], caller.Scopes.Order());
        Assert.False(caller.HasScope(Scopes.Admin));
        Assert.Null(caller.Role);
        Assert.Null(caller.EnrolmentId);
        Assert.Null(caller.Action);
        Assert.Null(caller.ActionExpiresAt);
    }

    [Fact]
    public async Task A_coordinators_token_carries_the_user_and_role()
    {
        var options = Options();
        var sent = new Caller("demo-b", Actors.Coordinator, new HashSet<string> { Scopes.Read }, "user-17", Role: "program-lead");

        var (caller, _) = await RoundTrip(options, ServiceToken.Issue(options, sent, DateTimeOffset.UtcNow));

        Assert.Equal((Actors.Coordinator, "user-17", "program-lead"), (caller.Actor, caller.Subject, caller.Role));
    }

    [Fact]
    public async Task A_participants_token_carries_the_enrolment_and_action_and_never_outlives_the_link()
    {
        var options = Options();
        var now = DateTimeOffset.UtcNow;
        var enrolment = Guid.NewGuid();
        var linkExpires = now.AddSeconds(20);
        var sent = new Caller("demo-a", Actors.Participant, new HashSet<string>(), enrolment.ToString(), EnrolmentId: enrolment,
            Action: ParticipantActions.DeclineMatch) { ActionExpiresAt = linkExpires };

        var (caller, token) = await RoundTrip(options, ServiceToken.Issue(options, sent, now));

        Assert.True(caller.IsParticipant);
        Assert.Empty(caller.Scopes);
        Assert.Equal((enrolment, ParticipantActions.DeclineMatch), (caller.EnrolmentId, caller.Action));
        Assert.Equal(linkExpires.ToUnixTimeSeconds(), caller.ActionExpiresAt?.ToUnixTimeSeconds());
        Assert.True(token.ValidTo <= linkExpires.UtcDateTime, $"The token runs to {token.ValidTo:O}, past the link's {linkExpires:O}.");
    }

    [Fact]
    public void A_participant_whose_link_has_expired_gets_no_token()
    {
        var now = DateTimeOffset.UtcNow;
        var expired = new Caller("demo-a", Actors.Participant, new HashSet<string>(), null, EnrolmentId: Guid.NewGuid(),
            Action: ParticipantActions.CompleteSession) { ActionExpiresAt = now.AddSeconds(-1) };

        Assert.Throws<ArgumentException>(() => ServiceToken.Issue(Options(), expired, now));
    }

    [Fact]
    public void A_principal_without_a_district_or_actor_names_no_caller()
    {
        var tenantOnly = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ServiceToken.TenantClaim, "demo-a")], "test"));

        Assert.Null(tenantOnly.FindCaller());
        Assert.Throws<InvalidOperationException>(() => tenantOnly.Caller());
        Assert.Null(new ClaimsPrincipal().FindCaller());
    }

    [Fact]
    public void A_gateway_principal_reads_like_the_token_it_mints()
    {
        var sent = new Caller("demo-a", Actors.Integrator, new HashSet<string> { Scopes.Admin }, "key-1");

        var caller = new ClaimsPrincipal(ServiceToken.Identity(sent, "ApiKey")).Caller();

        Assert.Equal((sent.TenantId, sent.Actor, sent.Subject), (caller.TenantId, caller.Actor, caller.Subject));
        Assert.Equal(sent.Scopes, caller.Scopes);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_or_expired_is_refused()
    {
        var options = Options();
        var handler = new JsonWebTokenHandler();

        var forged = await handler.ValidateTokenAsync(ServiceToken.Issue(Options(), "demo-a", DateTimeOffset.UtcNow), ServiceToken.ValidationParameters(options));
        var expired = await handler.ValidateTokenAsync(ServiceToken.Issue(options, "demo-a", DateTimeOffset.UtcNow.AddMinutes(-5)), ServiceToken.ValidationParameters(options));

        Assert.False(forged.IsValid);
        Assert.False(expired.IsValid);
    }

    [Fact]
    public void A_missing_or_short_signing_key_stops_start_up()
    {
        Assert.Throws<InvalidOperationException>(() => new ServiceTokenOptions().Key());
        Assert.Throws<InvalidOperationException>(() => new ServiceTokenOptions { SigningKey = Convert.ToBase64String(new byte[16]) }.Key());
    }
}

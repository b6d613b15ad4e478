using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Torace.Platform.Tenancy;

/// <summary>A signed participant link and when it stops working.</summary>
public sealed record ParticipantLink(string Token, DateTimeOffset ExpiresAt);

/// <summary>What checking a link gave: the participant it names and what it acts on, or why it names nobody.</summary>
public sealed record LinkCheck(Caller? Participant, string? Problem, string? Target = null);

/// <summary>
/// Signs and checks participant links (DESIGN §13): a short JWT, HS256 with the participant-link key
/// (<c>ParticipantLinks:SigningKey</c>, held by the gateway, which checks links, and by Notifications, which puts them in
/// emails; no other service sees it), naming the district, the enrolment, the one action, what it acts on
/// (<see cref="LinkTargets"/>) and the expiry.
/// </summary>
public sealed class ParticipantLinkSigner(SymmetricSecurityKey key, TimeProvider? clock = null)
{
    readonly TimeProvider clock = clock ?? TimeProvider.System;

    public const string KeySetting = "ParticipantLinks:SigningKey";

    /// <summary>Where the participant pages are: a link opens <c>{base}/{action}?token=…</c>.</summary>
    public const string PagesSetting = "ParticipantLinks:PagesUrl";

    public const string Issuer = "torace-gateway";

    /// <summary>Not the services' audience, and another key: a link is never a service token, nor the reverse.</summary>
    public const string Audience = "torace-participant-link";

    public const string TargetClaim = "target";

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    /// <summary>The signer with the configured key; a missing or short key stops start-up naming its setting.</summary>
    public static ParticipantLinkSigner From(IConfiguration configuration, TimeProvider? clock = null) =>
        new(SigningKey.From(configuration[KeySetting], KeySetting), clock);

    /// <summary>The page a link opens, on the participant pages at <paramref name="pages"/>.</summary>
    public static string Url(string pages, string action, string token) => $"{pages.TrimEnd('/')}/{action}?token={Uri.EscapeDataString(token)}";

    public ParticipantLink Issue(string tenantId, Guid enrolmentId, string action, TimeSpan lifetime, DateTimeOffset now, string? target = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (enrolmentId == Guid.Empty || !ParticipantActions.All.Contains(action) || lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentException("A link names an enrolment, one participant action and a lifetime of at most 30 days.");
        }
        if (target is not null && !LinkTargets.Fits(action, target))
        {
            throw new ArgumentException($"'{target}' is not what a '{action}' link acts on.", nameof(target));
        }
        // JWT times are whole seconds: say exactly when the link stops.
        var expires = DateTimeOffset.FromUnixTimeSeconds(now.Add(lifetime).ToUnixTimeSeconds());
        var claims = new Dictionary<string, object>
        {
            [ServiceToken.TenantClaim] = tenantId,
            [ServiceToken.EnrolmentClaim] = enrolmentId.ToString(),
            [ServiceToken.ActionClaim] = action,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
        };
        if (target is not null)
        {
            claims[TargetClaim] = target;
        }
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return new ParticipantLink(token, expires);
    }

    public async Task<LinkCheck> Check(string token)
    {
        var result = await SigningKey.Validate(token, key, Issuer, Audience, TimeSpan.FromSeconds(30));
        if (!result.IsValid)
        {
            return new LinkCheck(null, result.Exception switch
            {
                SecurityTokenExpiredException => "The participant link has expired.",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
                    "The participant link's signature does not match: it was changed, or Torace did not issue it.",
                _ => "The participant link is not valid.",
            });
        }

        var link = (JsonWebToken)result.SecurityToken;
        // The skew above is for instances' clocks disagreeing on when a link starts; it ends exactly when it says.
        if (link.ValidTo <= clock.GetUtcNow().UtcDateTime)
        {
            return new LinkCheck(null, "The participant link has expired.");
        }
        if (!link.TryGetPayloadValue<string>(ServiceToken.TenantClaim, out var tenant) || string.IsNullOrWhiteSpace(tenant)
            || !link.TryGetPayloadValue<string>(ServiceToken.EnrolmentClaim, out var enrolmentText) || !Guid.TryParse(enrolmentText, out var enrolment)
            || !link.TryGetPayloadValue<string>(ServiceToken.ActionClaim, out var action) || !ParticipantActions.All.Contains(action))
        {
            return new LinkCheck(null, "The participant link does not name a district, an enrolment and an action.");
        }
        var target = link.TryGetPayloadValue<string>(TargetClaim, out var named) && LinkTargets.Fits(action, named) ? named : null;
        return new LinkCheck(new Caller(tenant, Actors.Participant, new HashSet<string>(), enrolment.ToString(), EnrolmentId: enrolment, Action: action)
        {
            ActionExpiresAt = new DateTimeOffset(link.ValidTo, TimeSpan.Zero),
        }, null, target);
    }
}

/// <summary>
/// What a link acts on, as the API path under <c>/api/v1/</c> of the resource its action changes: the match a
/// decline-match link declines, the touchpoint a report or feedback is for, the session a date or completion is for, the
/// engagement a withdrawal leaves, the enrolment whose reminders stop.
/// </summary>
public static partial class LinkTargets
{
    public static string Match(Guid programId, Guid matchId) => $"programs/{programId}/matches/{matchId}";

    public static string Touchpoint(Guid engagementId, Guid touchpointId) => $"engagements/{engagementId}/touchpoints/{touchpointId}";

    public static string Session(Guid engagementId, int number) => $"engagements/{engagementId}/sessions/{number}";

    public static string Engagement(Guid engagementId) => $"engagements/{engagementId}";

    public static string Enrolment(Guid programId, Guid enrolmentId) => $"programs/{programId}/enrolments/{enrolmentId}";

    /// <summary>Whether <paramref name="target"/> has the shape of what an <paramref name="action"/> link acts on.</summary>
    public static bool Fits(string action, string? target) => target is not null && action switch
    {
        ParticipantActions.DeclineMatch => MatchShape().IsMatch(target),
        ParticipantActions.SubmitTouchpoint or ParticipantActions.GiveFeedback => TouchpointShape().IsMatch(target),
        ParticipantActions.CompleteSession or ParticipantActions.ScheduleSession => SessionShape().IsMatch(target),
        ParticipantActions.WithdrawFromEngagement => EngagementShape().IsMatch(target),
        ParticipantActions.StopReminders => EnrolmentShape().IsMatch(target),
        _ => false,
    };

    const string Id = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    [GeneratedRegex($"^programs/{Id}/matches/{Id}$")]
    private static partial Regex MatchShape();

    [GeneratedRegex($"^engagements/{Id}/touchpoints/{Id}$")]
    private static partial Regex TouchpointShape();

    [GeneratedRegex($"^engagements/{Id}/sessions/[1-9][0-9]{{0,2}}$")]
    private static partial Regex SessionShape();

    [GeneratedRegex($"^engagements/{Id}$")]
    private static partial Regex EngagementShape();

    [GeneratedRegex($"^programs/{Id}/enrolments/{Id}$")]
    private static partial Regex EnrolmentShape();
}

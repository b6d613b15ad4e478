using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.ParticipantLinks;

/// <summary>A signed participant link and when it stops working.</summary>
public sealed record ParticipantLink(string Token, DateTimeOffset ExpiresAt);

/// <summary>What checking a link gave: the participant it names, or why it names nobody.</summary>
public sealed record LinkCheck(Caller? Participant, string? Problem);

/// <summary>
/// Signs and checks participant links (DESIGN §13): a short JWT, HS256 with the gateway's own key, naming the district,
/// the enrolment, the one action and the expiry. Everything that hands out links (the API now, the emails later)
/// signs them here.
/// </summary>
public sealed class ParticipantLinkSigner(GatewaySecrets secrets, TimeProvider? clock = null)
{
    readonly TimeProvider clock = clock ?? TimeProvider.System;

    public const string Issuer = "torace-gateway";

    /// <summary>Not the services' audience, and another key: a link is never a service token, nor the reverse.</summary>
    public const string Audience = "torace-participant-link";

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public ParticipantLink Issue(string tenantId, Guid enrolmentId, string action, TimeSpan lifetime, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (enrolmentId == Guid.Empty || !ParticipantActions.All.Contains(action) || lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentException("A link names an enrolment, one participant action and a lifetime of at most 30 days.");
        }
        // JWT times are whole seconds: say exactly when the link stops.
        var expires = DateTimeOffset.FromUnixTimeSeconds(now.Add(lifetime).ToUnixTimeSeconds());
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [ServiceToken.TenantClaim] = tenantId,
                [ServiceToken.EnrolmentClaim] = enrolmentId.ToString(),
                [ServiceToken.ActionClaim] = action,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
            },
            SigningCredentials = new SigningCredentials(secrets.LinkSigningKey, SecurityAlgorithms.HmacSha256),
        });
        return new ParticipantLink(token, expires);
    }

    public async Task<LinkCheck> Check(string token)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = secrets.LinkSigningKey,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
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
        return new LinkCheck(new Caller(tenant, Actors.Participant, new HashSet<string>(), enrolment.ToString(), EnrolmentId: enrolment, Action: action)
        {
            ActionExpiresAt = new DateTimeOffset(link.ValidTo, TimeSpan.Zero),
        }, null);
    }
}

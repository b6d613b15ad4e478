using System.Globalization;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Torace.Platform.Tenancy;

/// <summary>
/// The short-lived token the gateway mints after it has authenticated a caller. Services accept nothing else: the
/// tenant and the caller they act for are the ones the gateway signed, never a header a caller could forge.
/// </summary>
public sealed class ServiceTokenOptions
{
    public const string Section = "ServiceToken";
    public string Issuer { get; set; } = "torace-gateway";
    public string Audience { get; set; } = "torace-services";

    /// <summary>Base64 HMAC-SHA256 key of at least 32 bytes, shared by the gateway and the services.</summary>
    public string SigningKey { get; set; } = "";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    public SymmetricSecurityKey Key() => Tenancy.SigningKey.From(SigningKey, $"{Section}:SigningKey");
}

public static class ServiceToken
{
    public const string TenantClaim = "tenant";
    public const string ActorClaim = "actor";

    /// <summary>Space-separated, as OAuth writes scopes.</summary>
    public const string ScopeClaim = "scope";

    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";
    public const string EnrolmentClaim = "enrolment";
    public const string ActionClaim = "action";

    /// <summary>Unix seconds at which a participant's action stops being allowed.</summary>
    public const string ActionExpiresClaim = "action_exp";

    /// <summary>A token for this caller. It never outlives a participant's action.</summary>
    public static string Issue(ServiceTokenOptions options, Caller caller, DateTimeOffset now)
    {
        var expires = now.Add(options.Lifetime);
        if (caller.ActionExpiresAt is { } until)
        {
            if (until <= now)
            {
                throw new ArgumentException("The caller's action has already expired.", nameof(caller));
            }
            expires = until < expires ? until : expires;
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime.AddSeconds(-5),
            Expires = expires.UtcDateTime,
            Claims = ClaimsOf(caller).ToDictionary(c => c.Type, c => (object)c.Value, StringComparer.Ordinal),
            SigningCredentials = new SigningCredentials(options.Key(), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A token for Torace itself acting in a district, with every scope (tests and maintenance).</summary>
    public static string Issue(ServiceTokenOptions options, string tenantId, DateTimeOffset now) =>
        Issue(options, new Caller(tenantId, Actors.System, new HashSet<string>(Scopes.All, StringComparer.Ordinal), Subject: null), now);

    public static TokenValidationParameters ValidationParameters(ServiceTokenOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = options.Key(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(5),
        NameClaimType = TenantClaim,
        RoleClaimType = RoleClaim,
    };

    public static string? TenantId(this ClaimsPrincipal user) => user.FindFirst(TenantClaim)?.Value;

    /// <summary>The caller the token names; throws when the principal names no district or actor (outside an authenticated request).</summary>
    public static Caller Caller(this ClaimsPrincipal user) =>
        user.FindCaller() ?? throw new InvalidOperationException("The request's principal names no district and actor; was it authenticated?");

    /// <summary>The caller the token names, or null when it names no district or actor.</summary>
    public static Caller? FindCaller(this ClaimsPrincipal user)
    {
        var tenant = user.FindFirst(TenantClaim)?.Value;
        var actor = user.FindFirst(ActorClaim)?.Value;
        if (string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(actor))
        {
            return null;
        }
        var scopes = user.FindAll(ScopeClaim)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        return new Caller(
            tenant,
            actor,
            scopes,
            user.FindFirst(SubjectClaim)?.Value,
            user.FindFirst(RoleClaim)?.Value,
            Guid.TryParse(user.FindFirst(EnrolmentClaim)?.Value, out var enrolment) ? enrolment : null,
            user.FindFirst(ActionClaim)?.Value)
        {
            ActionExpiresAt = long.TryParse(user.FindFirst(ActionExpiresClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null,
        };
    }

    /// <summary>
    /// The caller as claims of the same names the token carries, so the gateway's own principals (API key, participant
    /// link) read exactly like a service's.
    /// </summary>
    public static ClaimsIdentity Identity(Caller caller, string authenticationType) =>
        new(ClaimsOf(caller).Select(c => new Claim(c.Type, c.Value)), authenticationType, TenantClaim, RoleClaim);

    static IEnumerable<(string Type, string Value)> ClaimsOf(Caller caller)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caller.TenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(caller.Actor);
        if (caller.Scopes.Any(s => s.Length == 0 || s.Contains(' ', StringComparison.Ordinal)))
        {
            throw new ArgumentException("A scope is a single non-empty word.", nameof(caller));
        }

        yield return (TenantClaim, caller.TenantId);
        yield return (ActorClaim, caller.Actor);
        if (caller.Scopes.Count > 0)
        {
            yield return (ScopeClaim, string.Join(' ', caller.Scopes.Order(StringComparer.Ordinal)));
        }
        if (caller.Subject is { } subject)
        {
            yield return (SubjectClaim, subject);
        }
        if (caller.Role is { } role)
        {
            yield return (RoleClaim, role);
        }
        if (caller.EnrolmentId is { } enrolment)
        {
            yield return (EnrolmentClaim, enrolment.ToString());
        }
        if (caller.Action is { } action)
        {
            yield return (ActionClaim, action);
        }
        if (caller.ActionExpiresAt is { } until)
        {
            yield return (ActionExpiresClaim, until.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }
    }
}

using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Torace.Platform.Tenancy;

/// <summary>
/// How the admin front end vouches for a signed-in coordinator to the gateway: a JWT of at most a few minutes, HS256
/// with a key only the admin app and the gateway hold, naming the district, the user and their role. The gateway turns
/// it into a coordinator caller (scopes read and write; a district admin also admin) and never accepts it as a
/// participant link or a service token, nor the reverse (own issuer, audience and key).
/// </summary>
/// <summary>The key coordinator tokens are signed with: the admin app and the gateway hold the same one, each under its own setting.</summary>
public sealed record CoordinatorSigningKey(SymmetricSecurityKey Key)
{
    /// <summary>Read at start-up: a missing or short key stops it, naming the setting.</summary>
    public static CoordinatorSigningKey From(Microsoft.Extensions.Configuration.IConfiguration configuration, string setting) =>
        new(SigningKey.From(configuration[setting], setting));
}

public static class CoordinatorToken
{
    public const string Issuer = "torace-admin";
    public const string Audience = "torace-gateway-coordinator";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public const string Coordinator = "coordinator";
    public const string DistrictAdmin = "district-admin";
    public static readonly string[] Roles = [Coordinator, DistrictAdmin];

    public static string Issue(SymmetricSecurityKey key, string tenantId, string userId, string role, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (!Roles.Contains(role))
        {
            throw new ArgumentException($"A coordinator's role is one of: {string.Join(", ", Roles)}.", nameof(role));
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            // A few seconds back, as service tokens do: an admin host whose clock runs ahead is still believed.
            NotBefore = now.UtcDateTime.AddSeconds(-5),
            Expires = now.Add(Lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [ServiceToken.TenantClaim] = tenantId,
                [ServiceToken.SubjectClaim] = userId,
                [ServiceToken.RoleClaim] = role,
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Whether a bearer token says it is meant for this audience (read unverified, only to pick the scheme that verifies it).</summary>
    public static bool IsAddressedToCoordinators(string token)
    {
        var handler = new JsonWebTokenHandler();
        try
        {
            return handler.CanReadToken(token) && handler.ReadJsonWebToken(token).Audiences.Contains(Audience);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            // Three dots of garbage: not a coordinator's token; the participant link scheme answers 401 for it.
            return false;
        }
    }

    /// <summary>The coordinator the token names, or why it names nobody.</summary>
    public static async Task<(Caller? Coordinator, string? Problem)> Check(SymmetricSecurityKey key, string token)
    {
        var result = await SigningKey.Validate(token, key, Issuer, Audience, TimeSpan.FromSeconds(5));
        if (!result.IsValid)
        {
            return (null, result.Exception is SecurityTokenExpiredException ? "The coordinator's token has expired." : "The coordinator's token is not valid.");
        }
        var jwt = (JsonWebToken)result.SecurityToken;
        // Never longer-lived than the admin issues them, however its times are set.
        if (jwt.ValidTo - jwt.ValidFrom > Lifetime + TimeSpan.FromSeconds(5) || jwt.ValidTo > DateTime.UtcNow + Lifetime + TimeSpan.FromSeconds(5)
            || !jwt.TryGetPayloadValue<string>(ServiceToken.TenantClaim, out var tenant) || string.IsNullOrWhiteSpace(tenant)
            || !jwt.TryGetPayloadValue<string>(ServiceToken.SubjectClaim, out var user) || string.IsNullOrWhiteSpace(user)
            || !jwt.TryGetPayloadValue<string>(ServiceToken.RoleClaim, out var role) || !Roles.Contains(role))
        {
            return (null, "The coordinator's token does not name a district, a user and a role, or lives too long.");
        }
        HashSet<string> scopes = role == DistrictAdmin ? [Scopes.Read, Scopes.Write, Scopes.Admin] : [Scopes.Read, Scopes.Write];
        return (new Caller(tenant, Actors.Coordinator, scopes, user, role), null);
    }
}

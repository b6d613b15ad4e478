using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Torace.Platform.Tenancy;

/// <summary>
/// The short-lived token the gateway mints after it has authenticated a district's API key. Services
/// accept nothing else: the tenant they act for is the one the gateway signed, never a header a caller
/// could forge.
/// </summary>
public sealed class ServiceTokenOptions
{
    public const string Section = "ServiceToken";
    public string Issuer { get; set; } = "torace-gateway";
    public string Audience { get; set; } = "torace-services";

    /// <summary>Base64 HMAC-SHA256 key of at least 32 bytes, shared by the gateway and the services.</summary>
    public string SigningKey { get; set; } = "";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    public SymmetricSecurityKey Key()
    {
        var bytes = string.IsNullOrWhiteSpace(SigningKey) ? [] : Convert.FromBase64String(SigningKey);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException($"{Section}:SigningKey must be a base64 key of at least 32 bytes.");
        }
        return new SymmetricSecurityKey(bytes);
    }
}

public static class ServiceToken
{
    public const string TenantClaim = "tenant";

    public static string Issue(ServiceTokenOptions options, string tenantId, DateTimeOffset now) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime.AddSeconds(-5),
            Expires = now.Add(options.Lifetime).UtcDateTime,
            Claims = new Dictionary<string, object> { [TenantClaim] = tenantId },
            SigningCredentials = new SigningCredentials(options.Key(), SecurityAlgorithms.HmacSha256),
        });

    public static TokenValidationParameters ValidationParameters(ServiceTokenOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = options.Key(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(5),
        NameClaimType = TenantClaim,
    };

    public static string? TenantId(this ClaimsPrincipal user) => user.FindFirst(TenantClaim)?.Value;

}

using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Torace.Platform.Tenancy;

/// <summary>An HMAC-SHA256 key from its base64 setting: every key Torace signs with is read this one way.</summary>
public static class SigningKey
{
    /// <summary>The key's bytes; a missing, malformed or short (under 32 bytes) key stops start-up naming its setting.</summary>
    public static byte[] Bytes(string? base64, string setting)
    {
        byte[] bytes = [];
        try
        {
            bytes = string.IsNullOrWhiteSpace(base64) ? [] : Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
        }
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException($"{setting} must be a base64 key of at least 32 bytes.");
        }
        return bytes;
    }

    public static SymmetricSecurityKey From(string? base64, string setting) => new(Bytes(base64, setting));

    /// <summary>Checks a short JWT Torace signed (HS256 only, an expiry required) for its issuer and audience: every token is checked this one way.</summary>
    public static Task<TokenValidationResult> Validate(string token, SymmetricSecurityKey key, string issuer, string audience, TimeSpan clockSkew) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = clockSkew,
        });
}

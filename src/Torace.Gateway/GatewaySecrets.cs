using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Torace.Platform.Tenancy;

namespace Torace.Gateway;

/// <summary>
/// The gateway's own secret, <c>Gateway:LinkSigningKey</c> (base64, at least 32 bytes; the services never see it).
/// It signs participant links and, through HKDF, keys the encryption of stored idempotent answers (which hold the
/// API keys and links the gateway has just issued, so they are not kept in the clear).
/// </summary>
public sealed class GatewaySecrets
{
    public const string LinkSigningKeySetting = "Gateway:LinkSigningKey";

    readonly byte[] linkKey;

    public GatewaySecrets(string? linkSigningKey)
    {
        linkKey = SigningKey.Bytes(linkSigningKey, LinkSigningKeySetting);
        AnswerEncryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, linkKey, 32, info: "torace-gateway/idempotent-answers"u8.ToArray());
    }

    public static GatewaySecrets From(IConfiguration configuration) => new(configuration[LinkSigningKeySetting]);

    public SymmetricSecurityKey LinkSigningKey => new(linkKey);

    /// <summary>AES-256 key for stored answers, derived from the link key for this one purpose.</summary>
    public byte[] AnswerEncryptionKey { get; }
}

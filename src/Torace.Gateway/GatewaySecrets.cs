using System.Security.Cryptography;
using Torace.Platform.Tenancy;

namespace Torace.Gateway;

/// <summary>
/// The gateway's own secret, <c>Gateway:SecretKey</c> (base64, at least 32 bytes; no service sees it). Through HKDF it
/// keys the encryption of stored idempotent answers (which hold the API keys and links the gateway has just issued, so
/// they are not kept in the clear). Participant links have a key of their own (<see cref="ParticipantLinkSigner"/>).
/// </summary>
public sealed class GatewaySecrets
{
    public const string SecretKeySetting = "Gateway:SecretKey";

    public GatewaySecrets(string? secretKey) =>
        AnswerEncryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, SigningKey.Bytes(secretKey, SecretKeySetting), 32,
            info: "torace-gateway/idempotent-answers"u8.ToArray());

    public static GatewaySecrets From(IConfiguration configuration) => new(configuration[SecretKeySetting]);

    /// <summary>AES-256 key for stored answers, derived from the gateway's secret for this one purpose.</summary>
    public byte[] AnswerEncryptionKey { get; }
}

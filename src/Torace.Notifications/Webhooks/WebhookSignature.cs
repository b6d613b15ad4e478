using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Torace.Notifications.Webhooks;

/// <summary>
/// Signing as the Standard Webhooks specification says, so a receiver can verify with any of its libraries: the secret is
/// <c>whsec_</c> and the base64 of 32 random bytes; the signed content is <c>{webhook-id}.{webhook-timestamp}.{body}</c>;
/// <c>webhook-signature</c> is <c>v1,</c> and the base64 HMAC-SHA256 of it, one per secret, separated by spaces.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The <c>webhook-id</c> of a delivery: the same on every attempt and replay, so receivers can drop repeats.</summary>
    public static string MessageId(Guid deliveryId) => $"msg_{deliveryId:N}";

    public static string Sign(IEnumerable<string> secrets, string messageId, long timestamp, string body)
    {
        var content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{messageId}.{timestamp}.{body}"));
        return string.Join(' ', secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), content))));
    }

    static byte[] Key(string secret) => Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
}

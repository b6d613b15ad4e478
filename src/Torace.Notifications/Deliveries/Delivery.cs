using System.Security.Cryptography;
using System.Text;

namespace Torace.Notifications.Deliveries;

/// <summary>The mail server accepted an email. One stream per (message, recipient, kind): its id is that key.</summary>
public sealed record EmailDelivered(
    Guid DeliveryId,
    Guid ProgramId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Subject,
    DateTimeOffset SentAt,
    Guid? RecipientId = null);

/// <summary>The delivery log: what was sent to whom, and why.</summary>
public sealed record Delivery(Guid Id, Guid ProgramId, Guid CausedBy, string Kind, string Recipient, string Subject, string Status, DateTimeOffset SentAt,
    Guid? RecipientId = null)
{
    public static Delivery Create(EmailDelivered e) => new(e.DeliveryId, e.ProgramId, e.CausedBy, e.Kind, e.Recipient, e.Subject, "sent", e.SentAt, e.RecipientId);

    /// <summary>
    /// The delivery key as a stream id: the same message, recipient and kind always give the same id. An email that
    /// carries a session's invite adds the session's UID, so one message can send the invites of several sessions.
    /// </summary>
    public static Guid KeyOf(Guid messageId, string recipient, string kind, string? inviteUid = null)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{messageId:N}|{recipient.Trim().ToLowerInvariant()}|{kind}{(inviteUid is null ? "" : "|" + inviteUid)}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}

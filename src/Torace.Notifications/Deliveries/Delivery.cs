using System.Security.Cryptography;
using System.Text;
using Torace.Notifications.Email;

namespace Torace.Notifications.Deliveries;

/// <summary>
/// The mail server accepted an email. One stream per (message, recipient, kind): its id is that key.
/// <see cref="ResentBy"/> names the coordinator who sent a failed email again.
/// </summary>
public sealed record EmailDelivered(
    Guid DeliveryId,
    Guid ProgramId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Subject,
    DateTimeOffset SentAt,
    Guid? RecipientId = null,
    string? ResentBy = null);

/// <summary>
/// An email was not sent: refused for good by the mail server (<see cref="DeliveryFailure.Rejected"/>) or not reached
/// for as long as redelivery lasts (<see cref="DeliveryFailure.Unreachable"/>). The email is kept so it can be sent again.
/// </summary>
public sealed record EmailFailed(
    Guid DeliveryId,
    Guid ProgramId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Subject,
    string Reason,
    string Error,
    DateTimeOffset FailedAt,
    EmailMessage Email,
    Guid? RecipientId = null);

public static class DeliveryFailure
{
    public const string Rejected = "rejected";
    public const string Unreachable = "unreachable";
}

public static class DeliveryState
{
    public const string Sent = "sent";
    public const string Failed = "failed";

    public static readonly string[] All = [Sent, Failed];
}

/// <summary>
/// The delivery log: what was sent to whom and why, or why it was not. <see cref="RecordedAt"/> is when the log first
/// heard of it (sent or failed), the order the log is read in; <see cref="Failures"/> counts the failed tries, a resend's too.
/// </summary>
public sealed record Delivery(Guid Id, Guid ProgramId, Guid CausedBy, string Kind, string Recipient, string Subject, string Status, DateTimeOffset? SentAt,
    Guid? RecipientId = null, DateTimeOffset RecordedAt = default, string? Reason = null, string? Error = null, DateTimeOffset? FailedAt = null,
    int Failures = 0, string? ResentBy = null)
{
    public static Delivery Create(EmailDelivered e) =>
        new(e.DeliveryId, e.ProgramId, e.CausedBy, e.Kind, e.Recipient, e.Subject, DeliveryState.Sent, e.SentAt, e.RecipientId, e.SentAt);

    public static Delivery Create(EmailFailed e) =>
        new(e.DeliveryId, e.ProgramId, e.CausedBy, e.Kind, e.Recipient, e.Subject, DeliveryState.Failed, null, e.RecipientId, e.FailedAt, e.Reason, e.Error, e.FailedAt, 1);

    /// <summary>A failed email sent again: sent now, its failures kept as history.</summary>
    public Delivery Apply(EmailDelivered e) => this with { Status = DeliveryState.Sent, SentAt = e.SentAt, ResentBy = e.ResentBy };

    /// <summary>A resend that failed too.</summary>
    public Delivery Apply(EmailFailed e) => this with { Status = DeliveryState.Failed, Reason = e.Reason, Error = e.Error, FailedAt = e.FailedAt, Failures = Failures + 1 };

    /// <summary>Only a failed email is sent again: one that went out is never sent twice by the log.</summary>
    public bool CanResend => Status == DeliveryState.Failed;

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

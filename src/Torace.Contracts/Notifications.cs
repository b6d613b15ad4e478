namespace Torace.Contracts.Notifications;

/// <summary>
/// An email was accepted by the mail server. <see cref="CausedBy"/> is the message id that asked for it;
/// <see cref="RecipientId"/> the recipient's enrolment, when the email went to a participant.
/// </summary>
public sealed record NotificationSent(
    string TenantId,
    Guid ProgramId,
    Guid NotificationId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Subject,
    DateTimeOffset SentAt,
    Guid? RecipientId = null) : IDistrictEvent;

/// <summary>
/// An email was not sent: the mail server refused it for good (a 5xx answer), or could not be reached for as long as
/// redelivery lasts (32 minutes). A coordinator can send it again (the resend action of the delivery log).
/// <see cref="Reason"/> is <c>rejected</c> or <c>unreachable</c>; <see cref="Error"/> what the mail server said.
/// </summary>
public sealed record NotificationFailed(
    string TenantId,
    Guid ProgramId,
    Guid NotificationId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Error,
    DateTimeOffset FailedAt,
    Guid? RecipientId = null,
    string Reason = "rejected") : IDistrictEvent;

/// <summary>
/// A district's webhook endpoint kept failing and was disabled: nothing is sent to it until the district enables it again.
/// It belongs to no program (<see cref="ProgramId"/> is empty).
/// </summary>
public sealed record WebhookEndpointDisabled(
    string TenantId,
    Guid EndpointId,
    string Url,
    string Reason,
    DateTimeOffset DisabledAt) : IDistrictEvent
{
    public Guid ProgramId => Guid.Empty;
}

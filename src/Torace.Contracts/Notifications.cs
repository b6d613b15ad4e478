namespace Torace.Contracts.Notifications;

/// <summary>An email was accepted by the mail server. <see cref="CausedBy"/> is the message id that asked for it.</summary>
public sealed record NotificationSent(
    string TenantId,
    Guid ProgramId,
    Guid NotificationId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Subject,
    DateTimeOffset SentAt) : IDistrictEvent;

public sealed record NotificationFailed(
    string TenantId,
    Guid ProgramId,
    Guid NotificationId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Error,
    DateTimeOffset FailedAt) : IDistrictEvent;

using Torace.Contracts.Matching;
using Torace.Contracts.Notifications;
using Torace.Contracts.Programs;
using Torace.Contracts.Scheduling;

namespace Torace.Notifications.Webhooks;

/// <summary>
/// One type of the public event catalogue (DESIGN §14): its name, the version of its payload, what it means, the record
/// its <c>data</c> holds, and what its <c>resource</c> is (deliveries of one resource to one endpoint go out in the order
/// the events happened).
/// </summary>
public sealed record WebhookEventType(string Name, int Version, string Description, Type Data, string Resource);

/// <summary>A catalogued event ready to deliver: its type, the resource it concerns, when it happened, and its data.</summary>
public sealed record WebhookEvent(string Type, Guid ResourceId, DateTimeOffset OccurredAt, object Data);

/// <summary>What a receiver gets (the Standard Webhooks payload shape): the type, its payload version, when it happened, and its data.</summary>
public sealed record WebhookPayload(string Type, int Version, DateTimeOffset Timestamp, object Data);

public sealed record ParticipantEnrolledData(Guid ProgramId, Guid EnrolmentId, string ExternalId, string Role, string Site, DateTimeOffset EnrolledAt);

public sealed record ParticipantWithdrawnData(Guid ProgramId, Guid EnrolmentId, DateTimeOffset WithdrawnAt);

public sealed record MatchPublishedData(Guid ProgramId, Guid MatchId, Guid MentorId, IReadOnlyList<Guid> MenteeIds, int Round, int Rounds, DateTimeOffset PublishedAt);

public sealed record MatchDeclinedData(Guid ProgramId, Guid MatchId, Guid DeclinedBy, string? Reason, bool MatchEnded, bool Withdrawn, DateTimeOffset DeclinedAt);

public sealed record EngagementCompletedData(Guid ProgramId, Guid EngagementId, Guid MatchId, int SessionsAttended, double HoursMet, DateTimeOffset CompletedAt);

public sealed record EngagementEndedData(Guid ProgramId, Guid EngagementId, IReadOnlyList<Guid> MatchIds, string? Reason, DateTimeOffset EndedAt);

public sealed record TouchpointMissedData(Guid ProgramId, Guid EngagementId, Guid TouchpointId, string Kind, Guid RecipientId, DateTimeOffset MissedAt);

/// <summary>
/// An email that was not sent: to which enrolment (none when the recipient was no participant), of what kind, and whether the
/// mail server <c>rejected</c> it or could not be reached (<c>unreachable</c>). The address and the server's words stay out:
/// they name the person; the delivery log has them.
/// </summary>
public sealed record NotificationFailedData(Guid ProgramId, Guid NotificationId, string Kind, Guid? RecipientId, string Reason, DateTimeOffset FailedAt);

/// <summary>The disabled endpoint's host only: its whole address may hold a token that is none of another receiver's business.</summary>
public sealed record WebhookDisabledData(Guid EndpointId, string Host, string Reason, DateTimeOffset DisabledAt);

/// <summary>
/// The public event catalogue: separate from the integration events (which may change as the services do) and versioned
/// on its own. Payloads carry ids, a district's own external ids and facts, never a person's name or email: a receiver
/// reads those through the API, where the read is audited.
/// </summary>
public static class WebhookCatalogue
{
    public const string ParticipantEnrolled = "participant.enrolled";
    public const string ParticipantWithdrawn = "participant.withdrawn";
    public const string MatchPublished = "match.published";
    public const string MatchDeclined = "match.declined";
    public const string EngagementCompleted = "engagement.completed";
    public const string EngagementEnded = "engagement.ended";
    public const string TouchpointMissed = "touchpoint.missed";
    public const string NotificationFailed = "notification.failed";
    public const string WebhookDisabled = "webhook.disabled";

    public static readonly IReadOnlyList<WebhookEventType> Types =
    [
        new(ParticipantEnrolled, 1, "A person enrolled in a program (a repeat of the same enrolment sends nothing).", typeof(ParticipantEnrolledData), "enrolment"),
        new(ParticipantWithdrawn, 1, "An enrolment was withdrawn.", typeof(ParticipantWithdrawnData), "enrolment"),
        new(MatchPublished, 1, "A match was published and its people emailed.", typeof(MatchPublishedData), "match"),
        new(MatchDeclined, 1, "Someone declined a match or withdrew from it.", typeof(MatchDeclinedData), "match"),
        new(EngagementCompleted, 1, "An engagement was completed, with the sessions attended and hours met.", typeof(EngagementCompletedData), "engagement"),
        new(EngagementEnded, 1, "An engagement ended before it was completed (declined, withdrawn from, or its program cancelled).", typeof(EngagementEndedData), "engagement"),
        new(TouchpointMissed, 1, "A reflection or touchpoint report's window closed without a submission.", typeof(TouchpointMissedData), "engagement"),
        new(NotificationFailed, 1, "An email could not be sent: the mail server refused it, or was out of reach for 32 minutes of retries. A coordinator can resend it.",
            typeof(NotificationFailedData), "notification"),
        new(WebhookDisabled, 1, "Another of the district's endpoints kept failing and was disabled.", typeof(WebhookDisabledData), "webhook"),
    ];

    public static readonly IReadOnlySet<string> Names = Types.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    public static WebhookEventType Type(string name) => Types.Single(t => t.Name == name);

    /// <summary>The catalogued event an integration message is, or null when it has none.</summary>
    public static WebhookEvent? From(object message) => message switch
    {
        Contracts.Programs.ParticipantEnrolled e => new(ParticipantEnrolled, e.EnrolmentId, e.EnrolledAt,
            new ParticipantEnrolledData(e.ProgramId, e.EnrolmentId, e.ExternalId, e.Role, e.Site, e.EnrolledAt)),
        Contracts.Programs.ParticipantWithdrawn e => new(ParticipantWithdrawn, e.EnrolmentId, e.WithdrawnAt,
            new ParticipantWithdrawnData(e.ProgramId, e.EnrolmentId, e.WithdrawnAt)),
        MatchProposed e => new(MatchPublished, e.MatchId, e.ProposedAt,
            new MatchPublishedData(e.ProgramId, e.MatchId, e.Mentor.EnrolmentId, [.. e.Mentees.Select(m => m.EnrolmentId)], e.Round, e.Rounds, e.ProposedAt)),
        Contracts.Matching.MatchDeclined e => new(MatchDeclined, e.MatchId, e.DeclinedAt,
            new MatchDeclinedData(e.ProgramId, e.MatchId, e.DeclinedBy, e.Reason, e.MatchEnded, e.Withdrawn, e.DeclinedAt)),
        Contracts.Scheduling.EngagementCompleted e => new(EngagementCompleted, e.EngagementId, e.CompletedAt,
            new EngagementCompletedData(e.ProgramId, e.EngagementId, e.MatchId, e.SessionsAttended, e.HoursMet, e.CompletedAt)),
        Contracts.Scheduling.EngagementEnded e => new(EngagementEnded, e.EngagementId, e.EndedAt,
            new EngagementEndedData(e.ProgramId, e.EngagementId, e.Matches, e.Reason, e.EndedAt)),
        Contracts.Scheduling.TouchpointMissed e => new(TouchpointMissed, e.EngagementId, e.MissedAt,
            new TouchpointMissedData(e.ProgramId, e.EngagementId, e.TouchpointId, e.Kind, e.RecipientId, e.MissedAt)),
        Contracts.Notifications.NotificationFailed e => new(NotificationFailed, e.NotificationId, e.FailedAt,
            new NotificationFailedData(e.ProgramId, e.NotificationId, e.Kind, e.RecipientId, e.Reason, e.FailedAt)),
        WebhookEndpointDisabled e => new(WebhookDisabled, e.EndpointId, e.DisabledAt,
            new WebhookDisabledData(e.EndpointId, new Uri(e.Url).Host, e.Reason, e.DisabledAt)),
        _ => null,
    };
}

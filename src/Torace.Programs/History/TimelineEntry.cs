using System.Globalization;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Notifications;
using Torace.Contracts.Scheduling;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.History;

/// <summary>
/// One step of a program's life, stored as a document so a timeline read is one indexed query. The id is the stored
/// event's id (the program's own events, written by <see cref="TimelineProjection"/>) or the message's id (another
/// service's event, recorded by <see cref="RecordInHistory{TEvent}"/>). Facts are the event's ids and values, never prose.
/// </summary>
public sealed record TimelineEntry(
    Guid Id,
    Guid ProgramId,
    string Type,
    DateTimeOffset At,
    string Service,
    string? Actor,
    IReadOnlyDictionary<string, string> Facts);

/// <summary>The event types a timeline holds, by the service that publishes them: the values the <c>type</c> filter accepts.</summary>
public static class TimelineTypes
{
    public static readonly string[] Programs =
        [nameof(ProgramCreated), nameof(ProgramDefinitionChanged), nameof(ProgramOpened), nameof(EnrolmentClosed), nameof(MatchingRequested),
            nameof(ProgramStarted), nameof(ProgramCompleted), nameof(ProgramCancelled),
            nameof(ParticipantEnrolled), nameof(ParticipantProfileChanged), nameof(ParticipantWithdrawn)];

    public static readonly string[] Matching = [nameof(MatchProposed), nameof(MatchDeclined)];

    public static readonly string[] Scheduling =
        [nameof(EngagementScheduled), nameof(TouchpointDue), nameof(TouchpointSubmitted), nameof(SessionCompleted), nameof(EngagementCompleted), nameof(EngagementEnded)];

    public static readonly string[] Notifications = [nameof(NotificationSent), nameof(NotificationFailed)];

    public static readonly string[] All = [.. Programs, .. Matching, .. Scheduling, .. Notifications];

    public static string ServiceOf(string type) =>
        Matching.Contains(type) ? "matching"
        : Scheduling.Contains(type) ? "scheduling"
        : Notifications.Contains(type) ? "notifications"
        : ProgramsService.Name;
}

/// <summary>The facts of each event as a timeline shows them. Pure: the projection, the consumers and the tests all call it.</summary>
public static class TimelineFacts
{
    /// <summary>The entry for one of the Programs service's own stored events, or null for an event the timeline does not show.</summary>
    public static TimelineEntry? ForOwn(Guid eventId, object data, DateTimeOffset storedAt, string? actor)
    {
        (Guid ProgramId, DateTimeOffset At, Dictionary<string, string> Facts)? entry = data switch
        {
            ProgramCreated e => (e.ProgramId, e.CreatedAt, new() { ["name"] = e.Definition.Name, ["kind"] = e.Definition.Kind, ["topic"] = e.Definition.Topic, ["sessions"] = Text(e.Definition.Sessions.Count) }),
            ProgramDefinitionChanged e => (e.ProgramId, e.ChangedAt, new() { ["name"] = e.Definition.Name, ["kind"] = e.Definition.Kind, ["topic"] = e.Definition.Topic, ["sessions"] = Text(e.Definition.Sessions.Count) }),
            ProgramOpened e => (e.ProgramId, e.OpenedAt, []),
            EnrolmentClosed e => (e.ProgramId, e.ClosedAt, []),
            ProgramStarted e => (e.ProgramId, e.StartedAt, new() { ["firstMatchId"] = e.FirstMatchId.ToString() }),
            ProgramCompleted e => (e.ProgramId, e.CompletedAt, new() { ["engagements"] = Text(e.Engagements) }),
            ProgramCancelled e => (e.ProgramId, e.CancelledAt, new() { ["reason"] = e.Reason }),
            ParticipantProfileChanged e => (e.ProgramId, e.ChangedAt, new() { ["enrolmentId"] = e.EnrolmentId.ToString(), ["externalId"] = e.Profile.ExternalId, ["role"] = e.Profile.Role, ["name"] = e.Profile.Name, ["site"] = e.Profile.Site }),
            MatchingRequested e => (e.ProgramId, e.RequestedAt, Facts(("runId", e.RunId.ToString()), ("enrolments", Text(e.EnrolmentIds.Count)), ("keepPinnedFrom", e.KeepPinnedFrom?.ToString()))),
            ParticipantEnrolled e => (e.ProgramId, e.EnrolledAt, new() { ["enrolmentId"] = e.EnrolmentId.ToString(), ["externalId"] = e.ExternalId, ["role"] = e.Role, ["name"] = e.Name, ["site"] = e.Site }),
            ParticipantWithdrawn e => (e.ProgramId, e.WithdrawnAt, new() { ["enrolmentId"] = e.EnrolmentId.ToString() }),
            _ => null,
        };
        return entry is { } found
            ? new TimelineEntry(eventId, found.ProgramId, data.GetType().Name, found.At == default ? storedAt : found.At, ProgramsService.Name, actor, found.Facts)
            : null;
    }

    /// <summary>The entry for another service's event; the id is the message's id, so a redelivery writes the same entry.</summary>
    public static TimelineEntry ForMessage(Guid messageId, IDistrictEvent message)
    {
        var (at, actor, facts) = message switch
        {
            MatchProposed e => (e.ProposedAt, null, Facts(("matchId", e.MatchId.ToString()), ("runId", e.RunId.ToString()),
                ("mentorId", e.Mentor.EnrolmentId.ToString()), ("mentor", e.Mentor.Name),
                ("menteeIds", Ids(e.Mentees.Select(m => m.EnrolmentId))), ("mentees", string.Join(", ", e.Mentees.Select(m => m.Name))))),
            MatchDeclined e => (e.DeclinedAt, $"participant:{e.DeclinedBy}", Facts(("matchId", e.MatchId.ToString()), ("enrolmentId", e.DeclinedBy.ToString()),
                ("withdrawn", Text(e.Withdrawn)), ("matchEnded", Text(e.MatchEnded)), ("reason", e.Reason))),
            EngagementScheduled e => (e.ScheduledAt, null, Facts(("engagementId", e.EngagementId.ToString()), ("matchId", e.MatchId.ToString()),
                ("sessions", Text(e.Sessions.Count)), ("touchpoints", Text(e.Touchpoints)))),
            TouchpointDue e => (e.DueAt, null, Facts(("engagementId", e.EngagementId.ToString()), ("touchpointId", e.TouchpointId.ToString()), ("kind", e.Kind),
                ("sessionNumber", e.SessionNumber is { } n ? Text(n) : null), ("recipientIds", Ids(e.Recipients.Select(r => r.EnrolmentId))),
                ("recipients", string.Join(", ", e.Recipients.Select(r => r.Name))))),
            TouchpointSubmitted e => (e.SubmittedAt, null, Facts(("engagementId", e.EngagementId.ToString()), ("touchpointId", e.TouchpointId.ToString()), ("kind", e.Kind))),
            SessionCompleted e => (e.CompletedAt, null, Facts(("engagementId", e.EngagementId.ToString()), ("sessionNumber", Text(e.SessionNumber)))),
            EngagementCompleted e => (e.CompletedAt, null, Facts(("engagementId", e.EngagementId.ToString()), ("matchId", e.MatchId == Guid.Empty ? null : e.MatchId.ToString()))),
            EngagementEnded e => (e.EndedAt, null, Facts(("engagementId", e.EngagementId.ToString()), ("matchId", e.MatchId == Guid.Empty ? null : e.MatchId.ToString()), ("reason", e.Reason))),
            NotificationSent e => (e.SentAt, null, Facts(("notificationId", e.NotificationId.ToString()), ("kind", e.Kind), ("recipient", e.Recipient), ("recipientId", e.RecipientId?.ToString()), ("subject", e.Subject), ("causedBy", e.CausedBy.ToString()))),
            NotificationFailed e => (e.FailedAt, null, Facts(("notificationId", e.NotificationId.ToString()), ("kind", e.Kind), ("recipient", e.Recipient), ("recipientId", e.RecipientId?.ToString()), ("reason", e.Reason), ("error", e.Error), ("causedBy", e.CausedBy.ToString()))),
            _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "Not a timeline event."),
        };
        var type = message.GetType().Name;
        return new TimelineEntry(messageId, message.ProgramId, type, at, TimelineTypes.ServiceOf(type), actor, facts);
    }

    static Dictionary<string, string> Facts(params (string Key, string? Value)[] facts) =>
        facts.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value!, StringComparer.Ordinal);

    static string Ids(IEnumerable<Guid> ids) => string.Join(",", ids);

    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    static string Text(bool value) => value ? "true" : "false";
}

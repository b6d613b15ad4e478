using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Notifications;
using Torace.Contracts.Scheduling;

namespace Torace.Programs.History;

/// <summary>One step of a program's life recorded from another service's event; the id is that message's id.</summary>
public sealed record TimelineEntry(Guid Id, Guid ProgramId, string Type, DateTimeOffset At, string Summary)
{
    public static TimelineEntry From(Guid messageId, IDistrictEvent message)
    {
        var (at, summary) = message switch
        {
            MatchProposed e => (e.ProposedAt, $"{e.Mentor.Name} matched with {string.Join(", ", e.Mentees.Select(m => m.Name))}"),
            MatchDeclined e => (e.DeclinedAt, e.Withdrawn
                ? $"Match {e.MatchId} {(e.MatchEnded ? "ended" : "goes on")}: enrolment {e.DeclinedBy} withdrew from the program"
                : $"Match {e.MatchId} declined"),
            EngagementScheduled e => (e.ScheduledAt, $"Engagement {e.EngagementId} scheduled: {e.Sessions.Count} session(s), {e.Touchpoints} touchpoint(s)"),
            TouchpointDue e => (e.DueAt, $"{e.Kind} due from {string.Join(", ", e.Recipients.Select(r => r.Name))}"),
            TouchpointSubmitted e => (e.SubmittedAt, $"{e.Kind} submitted"),
            SessionCompleted e => (e.CompletedAt, $"Session {e.SessionNumber} completed"),
            EngagementCompleted e => (e.CompletedAt, $"Engagement {e.EngagementId} completed"),
            EngagementEnded e => (e.EndedAt, $"Engagement {e.EngagementId} ended{(e.Reason is null ? "" : ": " + e.Reason)}"),
            NotificationSent e => (e.SentAt, $"{e.Kind} email sent to {e.Recipient}"),
            NotificationFailed e => (e.FailedAt, $"{e.Kind} email to {e.Recipient} failed: {e.Error}"),
            _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "Not a timeline event."),
        };
        return new TimelineEntry(messageId, message.ProgramId, message.GetType().Name, at, summary);
    }
}

using JasperFx.Events;
using Torace.Platform.Messaging;
using Torace.Scheduling.Engagements;
using Published = Torace.Contracts.Scheduling;

namespace Torace.Scheduling;

public sealed class SchedulingIntegrationEvents : IIntegrationEventMap
{
    public object? ToIntegrationEvent(IEvent stored) => stored.Data switch
    {
        // A speed-mentoring event is one engagement; each pairing is told as its match's engagement, with its one round.
        EngagementScheduled { Rounds: > 1 } e => new Published.EngagementScheduled(
            stored.TenantId, e.ProgramId, e.EngagementId, e.MatchId, [.. e.Sessions.Where(s => s.Number == e.Round)], e.Touchpoints.Count, e.ScheduledAt),
        EngagementScheduled e => new Published.EngagementScheduled(
            stored.TenantId, e.ProgramId, e.EngagementId, e.MatchId, e.Sessions, e.Touchpoints.Count, e.ScheduledAt),
        MeetingAdded e => new Published.EngagementScheduled(
            stored.TenantId, e.ProgramId, e.EngagementId, e.MatchId, [e.Session], e.Touchpoints.Count, e.AddedAt),
        TouchpointBecameDue e => new Published.TouchpointDue(
            stored.TenantId, e.ProgramId, e.EngagementId, e.TouchpointId, e.Kind, e.SessionNumber, e.DueAt, e.ProgramName, e.Recipients, e.Nudge, e.Prompt),
        TouchpointSubmitted e => new Published.TouchpointSubmitted(stored.TenantId, e.ProgramId, e.EngagementId, e.TouchpointId, e.Kind, e.SubmittedAt, e.SubmittedBy,
            e.ProgramName, e.Submitter, e.Mentors),
        TouchpointMissed e => new Published.TouchpointMissed(stored.TenantId, e.ProgramId, e.EngagementId, e.TouchpointId, e.Kind, e.RecipientId, e.MissedAt),
        SessionDateSet { PreviousStartsAt: null } e => new Published.SessionScheduled(
            stored.TenantId, e.ProgramId, e.EngagementId, e.SessionNumber, e.StartsAt, e.Modality, e.Sequence, e.ProgramName, e.Participants, e.SetAt,
            e.MatchId, e.Minutes),
        SessionDateSet e => new Published.SessionRescheduled(
            stored.TenantId, e.ProgramId, e.EngagementId, e.SessionNumber, e.PreviousStartsAt, e.StartsAt, e.Modality, e.Sequence, e.Reason,
            e.ProgramName, e.Participants, e.SetAt, e.MatchId, e.Minutes),
        SessionDateProposed { Participants: { } participants } e => new Published.SessionDateProposed(
            stored.TenantId, e.ProgramId, e.EngagementId, e.SessionNumber, e.StartsAt, e.Modality, e.ProposedBy, e.Reason, e.ProgramName ?? "",
            participants, e.ProposedAt),
        SessionCompleted e => new Published.SessionCompleted(
            stored.TenantId, e.ProgramId, e.EngagementId, e.SessionNumber, e.ProgramName, e.Participants, e.CompletedAt, e.Attended),
        EngagementStalled e => new Published.EngagementStalled(stored.TenantId, e.ProgramId, e.EngagementId, e.LastActivityAt, e.StalledAt,
            e.ProgramName, e.Participants),
        EngagementCompleted e => new Published.EngagementCompleted(stored.TenantId, e.ProgramId, e.EngagementId, e.CompletedAt, e.MatchId, e.SessionsAttended, e.HoursMet),
        MeetingLeft { PairingEnds: true } e => new Published.PairingEnded(stored.TenantId, e.ProgramId, e.EngagementId, e.MatchId, e.Reason, e.LeftAt),
        EngagementCancelled e => new Published.EngagementEnded(stored.TenantId, e.ProgramId, e.EngagementId, e.MatchId, e.Reason, e.CancelledAt, e.Pairings),
        _ => null,
    };
}

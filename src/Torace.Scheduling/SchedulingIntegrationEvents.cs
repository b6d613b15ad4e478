using JasperFx.Events;
using Torace.Platform.Messaging;
using Torace.Scheduling.Engagements;
using Published = Torace.Contracts.Scheduling;

namespace Torace.Scheduling;

public sealed class SchedulingIntegrationEvents : IIntegrationEventMap
{
    public object? ToIntegrationEvent(IEvent stored) => stored.Data switch
    {
        EngagementScheduled e => new Published.EngagementScheduled(
            stored.TenantId, e.ProgramId, e.EngagementId, e.MatchId, e.Sessions, e.Touchpoints.Count, e.ScheduledAt),
        TouchpointBecameDue e => new Published.TouchpointDue(
            stored.TenantId, e.ProgramId, e.EngagementId, e.TouchpointId, e.Kind, e.SessionNumber, e.DueAt, e.ProgramName, e.Recipients),
        TouchpointSubmitted e => new Published.TouchpointSubmitted(stored.TenantId, e.ProgramId, e.EngagementId, e.TouchpointId, e.Kind, e.SubmittedAt),
        SessionCompleted e => new Published.SessionCompleted(
            stored.TenantId, e.ProgramId, e.EngagementId, e.SessionNumber, e.ProgramName, e.Participants, e.CompletedAt),
        EngagementCompleted e => new Published.EngagementCompleted(stored.TenantId, e.ProgramId, e.EngagementId, e.CompletedAt, e.MatchId),
        EngagementCancelled e => new Published.EngagementEnded(stored.TenantId, e.ProgramId, e.EngagementId, e.MatchId, e.Reason, e.CancelledAt),
        _ => null,
    };
}

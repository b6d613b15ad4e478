using JasperFx.Events;
using Torace.Platform.Messaging;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;
using Published = Torace.Contracts.Programs;

namespace Torace.Programs;

/// <summary>Which of the Programs service's stored events other services hear about, and in what shape.</summary>
public sealed class ProgramsIntegrationEvents : IIntegrationEventMap
{
    public object? ToIntegrationEvent(IEvent stored) => stored.Data switch
    {
        ProgramOpened e => new Published.ProgramOpened(
            stored.TenantId, e.ProgramId, e.Definition.Name, e.Definition.Kind, e.Definition.Topic, e.Definition.GroupSize,
            e.Definition.Sessions, e.Definition.PreReflection, e.Definition.PostReflection, e.Definition.Touchpoints,
            e.Definition.Pool.Sites, e.Definition.Matching.Review, e.Definition.Message, e.OpenedAt, e.Definition.Pool, e.Definition.Matching,
            e.Definition.EngagementRules),
        ParticipantEnrolled e => new Published.ParticipantEnrolled(
            stored.TenantId, e.ProgramId, e.EnrolmentId, e.Role, e.ExternalId, e.Name, e.Email, e.Site, e.Topics,
            e.Modality, e.TimeZone, e.Capacity, e.EnrolledAt, e.JobRole, e.YearsExperience, e.Availability, e.Requests),
        ParticipantProfileChanged { Profile: var p } e => new Published.ParticipantProfileChanged(
            stored.TenantId, e.ProgramId, e.EnrolmentId, p.Role, p.ExternalId, p.Name, p.Email, p.Site, p.Topics,
            p.Modality, p.TimeZone, p.Capacity, p.EnrolledAt, e.ChangedAt, p.JobRole, p.YearsExperience, p.Availability, p.Requests),
        EnrolmentClosed e => new Published.ProgramClosed(stored.TenantId, e.ProgramId, e.ClosedAt),
        ProgramStarted e => new Published.ProgramStarted(stored.TenantId, e.ProgramId, e.StartedAt),
        ProgramCompleted e => new Published.ProgramCompleted(stored.TenantId, e.ProgramId, e.Engagements, e.CompletedAt),
        ProgramCancelled e => new Published.ProgramCancelled(stored.TenantId, e.ProgramId, e.ProgramName, e.Reason, e.CancelledAt),
        ParticipantWithdrawn e => new Published.ParticipantWithdrawn(stored.TenantId, e.ProgramId, e.EnrolmentId, e.WithdrawnAt),
        RemindersStopped e => new Published.ParticipantRemindersChanged(stored.TenantId, e.ProgramId, e.EnrolmentId, true, e.StoppedAt),
        RemindersResumed e => new Published.ParticipantRemindersChanged(stored.TenantId, e.ProgramId, e.EnrolmentId, false, e.ResumedAt),
        PersonalDataErased e => new Published.PersonErased(stored.TenantId, e.ProgramId, e.EnrolmentId, e.Pseudonym, e.ErasedAt),
        MatchingRequested e => new Published.MatchingRequested(stored.TenantId, e.ProgramId, e.RunId, e.EnrolmentIds, e.KeepPinnedFrom, e.RequestedAt, e.ProfilesAt),
        _ => null,
    };
}

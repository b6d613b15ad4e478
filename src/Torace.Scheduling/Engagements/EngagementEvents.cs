using Torace.Contracts;

namespace Torace.Scheduling.Engagements;

public sealed record PlannedTouchpoint(Guid Id, string Kind, int? SessionNumber, DateTimeOffset DueAt, IReadOnlyList<Guid> RecipientIds);

public sealed record EngagementScheduled(
    Guid EngagementId,
    Guid MatchId,
    Guid ProgramId,
    string ProgramName,
    Participant Mentor,
    IReadOnlyList<Participant> Mentees,
    IReadOnlyList<SessionPlan> Sessions,
    IReadOnlyList<PlannedTouchpoint> Touchpoints,
    DateTimeOffset ScheduledAt);

public sealed record TouchpointBecameDue(
    Guid EngagementId,
    Guid ProgramId,
    Guid TouchpointId,
    string Kind,
    int? SessionNumber,
    DateTimeOffset DueAt,
    string ProgramName,
    IReadOnlyList<Participant> Recipients);

public sealed record TouchpointSubmitted(Guid EngagementId, Guid ProgramId, Guid TouchpointId, string Kind, string? Response, DateTimeOffset SubmittedAt);

public sealed record SessionCompleted(
    Guid EngagementId,
    Guid ProgramId,
    int SessionNumber,
    string ProgramName,
    IReadOnlyList<Participant> Participants,
    DateTimeOffset CompletedAt);

/// <summary>The match ended (declined, or its mentor or last mentee withdrew): no more sessions, no more reminders.</summary>
public sealed record EngagementCancelled(Guid EngagementId, Guid ProgramId, string? Reason, DateTimeOffset CancelledAt, Guid MatchId = default);

/// <summary>One mentee of a group declined or withdrew; the others carry on without them.</summary>
public sealed record ParticipantLeft(Guid EngagementId, Guid ProgramId, Guid EnrolmentId, DateTimeOffset LeftAt);

public sealed record EngagementCompleted(Guid EngagementId, Guid ProgramId, DateTimeOffset CompletedAt, Guid MatchId = default);

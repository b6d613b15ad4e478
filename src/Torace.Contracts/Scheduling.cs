namespace Torace.Contracts.Scheduling;

public sealed record EngagementScheduled(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid MatchId,
    IReadOnlyList<SessionPlan> Sessions,
    int Touchpoints,
    DateTimeOffset ScheduledAt) : IDistrictEvent;

/// <summary>A touchpoint (reflection, between-session activity, session reminder) is due from its recipients.</summary>
public sealed record TouchpointDue(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid TouchpointId,
    string Kind,
    int? SessionNumber,
    DateTimeOffset DueAt,
    string ProgramName,
    IReadOnlyList<Participant> Recipients) : IDistrictEvent;

public sealed record TouchpointSubmitted(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid TouchpointId,
    string Kind,
    DateTimeOffset SubmittedAt) : IDistrictEvent;

public sealed record SessionCompleted(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    int SessionNumber,
    string ProgramName,
    IReadOnlyList<Participant> Participants,
    DateTimeOffset CompletedAt) : IDistrictEvent;

public sealed record EngagementCompleted(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    DateTimeOffset CompletedAt,
    Guid MatchId = default) : IDistrictEvent;

/// <summary>An engagement ended before it was completed: its match was declined or withdrawn from, or its program cancelled.</summary>
public sealed record EngagementEnded(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid MatchId,
    string? Reason,
    DateTimeOffset EndedAt) : IDistrictEvent;

namespace Torace.Contracts.Matching;

public sealed record MatchProposed(
    string TenantId,
    Guid ProgramId,
    Guid MatchId,
    Guid RunId,
    string ProgramName,
    Participant Mentor,
    IReadOnlyList<Participant> Mentees,
    IReadOnlyList<SessionPlan> Sessions,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointPlan> Touchpoints,
    MatchMessage Message,
    double Score,
    IReadOnlyList<string> Reasons,
    DateTimeOffset ProposedAt,
    EngagementRules? Reminders = null) : IDistrictEvent;

public sealed record MatchDeclined(
    string TenantId,
    Guid ProgramId,
    Guid MatchId,
    Guid DeclinedBy,
    string? Reason,
    DateTimeOffset DeclinedAt,
    bool MatchEnded = true,
    bool Withdrawn = false) : IDistrictEvent;

/// <summary>Matching holds the requested run (it can be read now) and queued it for its run worker.</summary>
public sealed record MatchingRunQueued(
    string TenantId,
    Guid ProgramId,
    Guid RunId,
    IReadOnlyList<Guid> EnrolmentIds,
    DateTimeOffset RequestedAt,
    DateTimeOffset QueuedAt,
    IReadOnlyDictionary<Guid, DateTimeOffset>? ProfilesAt = null) : IDistrictEvent;

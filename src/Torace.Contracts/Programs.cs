namespace Torace.Contracts.Programs;

public sealed record ProgramOpened(
    string TenantId,
    Guid ProgramId,
    string Name,
    string Kind,
    string Topic,
    int GroupSize,
    IReadOnlyList<SessionPlan> Sessions,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointPlan> Touchpoints,
    string PoolSites,
    string Review,
    MatchMessage Message,
    DateTimeOffset OpenedAt,
    PoolPlan? Pool = null,
    MatchingPlan? Matching = null) : IDistrictEvent;

public sealed record ProgramClosed(string TenantId, Guid ProgramId, DateTimeOffset ClosedAt) : IDistrictEvent;

public sealed record ParticipantEnrolled(
    string TenantId,
    Guid ProgramId,
    Guid EnrolmentId,
    string Role,
    string ExternalId,
    string Name,
    string Email,
    string Site,
    IReadOnlyList<string> Topics,
    string Modality,
    string TimeZone,
    int Capacity,
    DateTimeOffset EnrolledAt,
    string? JobRole = null,
    int YearsExperience = 0,
    IReadOnlyList<string>? Availability = null,
    IReadOnlyList<string>? Requests = null) : IDistrictEvent;

public sealed record ParticipantWithdrawn(
    string TenantId,
    Guid ProgramId,
    Guid EnrolmentId,
    DateTimeOffset WithdrawnAt) : IDistrictEvent;

/// <summary>
/// A coordinator started matching the program. The run covers exactly <see cref="EnrolmentIds"/>, the enrolments active
/// when it was asked for; Matching waits until it holds each of them before solving.
/// </summary>
public sealed record MatchingRequested(
    string TenantId,
    Guid ProgramId,
    Guid RunId,
    IReadOnlyList<Guid> EnrolmentIds,
    Guid? KeepPinnedFrom,
    DateTimeOffset RequestedAt) : IDistrictEvent;

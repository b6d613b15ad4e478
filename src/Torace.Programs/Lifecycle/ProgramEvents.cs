using Torace.Contracts;

namespace Torace.Programs.Lifecycle;

/// <summary>What a coordinator defines; validated once, when the program is created.</summary>
public sealed record ProgramDefinition(
    string Name,
    string Kind,
    string Topic,
    IReadOnlyList<SessionPlan> Sessions,
    int GroupSize,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointPlan> Touchpoints,
    PoolPlan Pool,
    MatchingPlan Matching,
    MatchMessage Message);

public sealed record ProgramCreated(Guid ProgramId, ProgramDefinition Definition, DateTimeOffset CreatedAt);

/// <summary>Enrolment opened; carries the definition because Matching and Scheduling need it.</summary>
public sealed record ProgramOpened(Guid ProgramId, ProgramDefinition Definition, DateTimeOffset OpenedAt);

public sealed record ParticipantEnrolled(
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
    IReadOnlyList<string>? Requests = null);

public sealed record ParticipantWithdrawn(Guid ProgramId, Guid EnrolmentId, DateTimeOffset WithdrawnAt);

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
    MatchingPlan? Matching = null,
    EngagementRules? Reminders = null) : IDistrictEvent;

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

/// <summary>
/// An enrolled person's profile changed: the whole new snapshot. Matching uses it for runs and placements from now on; a
/// match already published stays as it was.
/// </summary>
public sealed record ParticipantProfileChanged(
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
    DateTimeOffset ChangedAt,
    string? JobRole = null,
    int YearsExperience = 0,
    IReadOnlyList<string>? Availability = null,
    IReadOnlyList<string>? Requests = null) : IDistrictEvent;

/// <summary>A coordinator cancelled the program: its matches and engagements end, and its participants are told why.</summary>
public sealed record ProgramCancelled(string TenantId, Guid ProgramId, string ProgramName, string Reason, DateTimeOffset CancelledAt) : IDistrictEvent;

/// <summary>The program's first match was published.</summary>
public sealed record ProgramStarted(string TenantId, Guid ProgramId, DateTimeOffset StartedAt) : IDistrictEvent;

/// <summary>Every engagement of the program has completed or ended.</summary>
public sealed record ProgramCompleted(string TenantId, Guid ProgramId, int Engagements, DateTimeOffset CompletedAt) : IDistrictEvent;

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
    DateTimeOffset RequestedAt,
    IReadOnlyDictionary<Guid, DateTimeOffset>? ProfilesAt = null) : IDistrictEvent;

/// <summary>
/// A district erased a person: every service masks what it holds of this enrolment (name, email, external id, what they
/// wrote) and keeps the anonymous facts reports count. One per enrolment the person had; it names no one.
/// <see cref="Pseudonym"/> is random, the same for all of the person's enrolments: their external id becomes
/// <c>erased-{pseudonym}</c>, so reports still count them as one person.
/// </summary>
public sealed record PersonErased(string TenantId, Guid ProgramId, Guid EnrolmentId, Guid Pseudonym, DateTimeOffset ErasedAt) : IDistrictEvent;

/// <summary>
/// An enrolment's reminders were stopped (<see cref="Stopped"/>) or resumed: Notifications sends it no reflection, touchpoint
/// or nudge email while they are stopped. The later <see cref="ChangedAt"/> wins.
/// </summary>
public sealed record ParticipantRemindersChanged(string TenantId, Guid ProgramId, Guid EnrolmentId, bool Stopped, DateTimeOffset ChangedAt) : IDistrictEvent;

using System.ComponentModel.DataAnnotations;

namespace Torace.Programs.People;

public sealed record PersonRef(Guid EnrolmentId, string Name, string Site);

public sealed record PersonEnrolment(
    Guid Id,
    Guid ProgramId,
    string ProgramName,
    [property: AllowedValues("mentor", "mentee")] string Role,
    string Site,
    [property: AllowedValues("active", "withdrawn")] string Status,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? WithdrawnAt);

/// <summary>A published match the person is in, as mentor or mentee (<c>enrolmentId</c> is theirs).</summary>
public sealed record PersonMatch(
    Guid Id,
    Guid ProgramId,
    Guid EnrolmentId,
    [property: AllowedValues("mentor", "mentee")] string Role,
    [property: AllowedValues("active", "declined", "ended")] string Status,
    DateTimeOffset? ProposedAt,
    PersonRef? Mentor,
    IReadOnlyList<PersonRef> Mentees);

public sealed record PersonEngagement(
    Guid Id,
    Guid ProgramId,
    Guid? MatchId,
    Guid EnrolmentId,
    [property: AllowedValues("active", "completed", "ended")] string Status,
    int SessionsPlanned,
    int SessionsCompleted,
    int ReflectionsSubmitted,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset? CompletedAt);

/// <summary>One person of the district (their <c>externalId</c>) across its programs: enrolments, matches and engagements.</summary>
public sealed record PersonResponse(
    string ExternalId,
    string Name,
    string Email,
    IReadOnlyList<PersonEnrolment> Enrolments,
    IReadOnlyList<PersonMatch> Matches,
    IReadOnlyList<PersonEngagement> Engagements);

/// <summary>One program of a person's PD plan: their part in it, and the hours it gave them (sessions × the program's session length).</summary>
public sealed record PlanProgram(
    Guid ProgramId,
    string Name,
    [property: AllowedValues("topic-intervention", "pd-event", "one-off", "speed-mentoring", "informational-interview")] string Kind,
    string Topic,
    [property: AllowedValues("draft", "open", "matching", "running", "completed", "cancelled")] string ProgramStatus,
    Guid EnrolmentId,
    [property: AllowedValues("mentor", "mentee")] string Role,
    [property: AllowedValues("active", "withdrawn")] string EnrolmentStatus,
    int SessionsCompleted,
    int SessionMinutes,
    double Hours,
    int ReflectionsSubmitted);

/// <summary>A person's PD plan: every program they took part in, oldest enrolment first, with the totals.</summary>
public sealed record PlanResponse(
    string ExternalId,
    string Name,
    IReadOnlyList<PlanProgram> Programs,
    int SessionsCompleted,
    double Hours,
    int ReflectionsSubmitted);

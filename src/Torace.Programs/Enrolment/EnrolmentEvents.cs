namespace Torace.Programs.Enrolment;

/// <summary>A person joined the program (again, after a withdrawal) with this profile snapshot.</summary>
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

/// <summary>
/// An enrolled person's profile changed (their sync sent new facts, or a coordinator edited them): <see cref="Profile"/>
/// is the whole new snapshot, keeping the time they enrolled.
/// </summary>
public sealed record ParticipantProfileChanged(Guid ProgramId, Guid EnrolmentId, ParticipantEnrolled Profile, DateTimeOffset ChangedAt);

public sealed record ParticipantWithdrawn(Guid ProgramId, Guid EnrolmentId, DateTimeOffset WithdrawnAt);

/// <summary>
/// The person asked (or a coordinator, on their word) for no more reminders of this enrolment: reflections, touchpoints
/// and nudges stop; match emails, invites and their changes still go out. <see cref="By"/> is who asked.
/// </summary>
public sealed record RemindersStopped(Guid ProgramId, Guid EnrolmentId, string By, DateTimeOffset StoppedAt);

public sealed record RemindersResumed(Guid ProgramId, Guid EnrolmentId, string By, DateTimeOffset ResumedAt);

/// <summary>
/// The district erased the person: the enrolment keeps its role, site and times for the reports, and nothing that says
/// who they were. Every service masks its own copy (<c>PersonErased</c>).
/// </summary>
public sealed record PersonalDataErased(Guid ProgramId, Guid EnrolmentId, Guid Pseudonym, DateTimeOffset ErasedAt);

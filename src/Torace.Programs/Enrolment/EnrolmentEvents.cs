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

public sealed record ParticipantWithdrawn(Guid ProgramId, Guid EnrolmentId, DateTimeOffset WithdrawnAt);

using System.ComponentModel.DataAnnotations;

namespace Torace.Programs.Enrolment;

/// <summary>
/// An enrolment as integrators and the admin see it: the person's profile snapshot, whether they are still in, and since
/// when their reminders are stopped (null while they get them).
/// </summary>
public sealed record EnrolmentResponse(
    Guid Id,
    Guid ProgramId,
    [property: AllowedValues("mentor", "mentee")] string Role,
    string ExternalId,
    string Name,
    string Email,
    string Site,
    IReadOnlyList<string> Topics,
    [property: AllowedValues("virtual", "in-person", "either")] string Modality,
    string TimeZone,
    int Capacity,
    string? JobRole,
    int YearsExperience,
    IReadOnlyList<string> Availability,
    IReadOnlyList<string> Requests,
    [property: AllowedValues("active", "withdrawn")] string Status,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? WithdrawnAt,
    DateTimeOffset? RemindersStoppedAt)
{
    public static EnrolmentResponse From(Enrolment enrolment)
    {
        var p = enrolment.Profile;
        return new(enrolment.Id, p.ProgramId, p.Role, p.ExternalId, p.Name, p.Email, p.Site, p.Topics, p.Modality, p.TimeZone, p.Capacity,
            p.JobRole, p.YearsExperience, p.Availability ?? [], p.Requests ?? [],
            enrolment.Active ? EnrolmentStatus.Active : EnrolmentStatus.Withdrawn, p.EnrolledAt, enrolment.WithdrawnAt, enrolment.RemindersStoppedAt);
    }
}

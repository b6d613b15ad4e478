using System.ComponentModel.DataAnnotations;
using Torace.Platform.Api;

namespace Torace.Programs.Enrolment;

/// <summary>The profile fields to change; a field left out keeps its value. Role and external id name the enrolment and stay.</summary>
/// <summary>Whether the enrolment's reminders are stopped (true) or go out (false).</summary>
public sealed record RemindersRequest(bool? Stopped);

public sealed record EnrolmentPatch(
    string? Name = null,
    string? Email = null,
    string? Site = null,
    IReadOnlyList<string>? Topics = null,
    [property: AllowedValues("virtual", "in-person", "either")] string? Modality = null,
    string? TimeZone = null,
    int? Capacity = null,
    string? JobRole = null,
    int? YearsExperience = null,
    IReadOnlyList<string>? Availability = null,
    IReadOnlyList<string>? Requests = null)
{
    public static readonly EnrolmentPatch Example = new(Site: "Lincoln Middle", Topics: ["sel", "lesson-planning"]);

    /// <summary>The profile this patch makes of <paramref name="profile"/>, validated as an enrolment is; null with every wrong field named.</summary>
    public ParticipantEnrolled? ApplyTo(ParticipantEnrolled profile, Validation validation)
    {
        var merged = new EnrolRequest(profile.Role, profile.ExternalId, Name ?? profile.Name, Email ?? profile.Email, Site ?? profile.Site,
            Topics ?? profile.Topics, Modality ?? profile.Modality, TimeZone ?? profile.TimeZone,
            profile.Role == Lifecycle.Roles.Mentor ? Capacity ?? profile.Capacity : Capacity,
            JobRole ?? profile.JobRole, YearsExperience ?? profile.YearsExperience, Availability ?? profile.Availability,
            Requests ?? profile.Requests);
        return merged.ToEvent(profile.ProgramId, profile.EnrolledAt, validation);
    }
}

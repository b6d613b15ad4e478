using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Torace.Contracts;
using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Enrolment;

public sealed record EnrolRequest(
    [property: AllowedValues("mentor", "mentee")] string? Role,
    string? ExternalId,
    string? Name,
    string? Email,
    string? Site,
    IReadOnlyList<string>? Topics,
    [property: AllowedValues("virtual", "in-person", "either")] string? Modality,
    string? TimeZone,
    int? Capacity,
    string? JobRole = null,
    int? YearsExperience = null,
    IReadOnlyList<string>? Availability = null,
    IReadOnlyList<string>? Requests = null)
{
    public static readonly EnrolRequest Example = new("mentee", "HR-20417", "Sam Rivera", "sam.rivera@district.example.org", "Roosevelt Elementary",
        ["sel", "family-engagement"], "virtual", "America/Chicago", null, "teacher", 3, ["tue-pm", "thu-pm"]);

    /// <summary>The profile snapshot taken at enrolment, or null with every wrong field named.</summary>
    public ParticipantEnrolled? ToEvent(Guid programId, DateTimeOffset now, Validation validation)
    {
        validation.RequireOneOf(Role, "role", Roles.All)
            .RequireText(ExternalId, "externalId", 100)
            .RequireText(Name, "name")
            .RequireText(Email, "email", 254)
            .Require(Email is null || MailAddress.TryCreate(Email, out _), "email", "'email' must be an email address.")
            .RequireText(Site, "site", 100)
            .RequireOneOf(Modality ?? "either", "modality", CreateProgramRequest.Modalities)
            .Require(TimeZone is null || TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _), "timeZone", "'timeZone' must be an IANA time zone such as America/Chicago.")
            .Require(Topics is null || Topics.All(t => !string.IsNullOrWhiteSpace(t)), "topics", "Topics must not be blank.")
            .Require(Role != Roles.Mentor || Capacity is null or >= 1 and <= 50, "capacity", "A mentor's 'capacity' must be between 1 and 50 mentees.")
            .Require(JobRole is null || JobRole.Trim().Length is > 0 and <= 100, "jobRole", "'jobRole' must be 1 to 100 characters.")
            .Require(YearsExperience is null or >= 0 and <= 60, "yearsExperience", "'yearsExperience' must be between 0 and 60.")
            .Require(Availability is null || Availability.All(WeeklySlots.All.Contains), "availability", "'availability' lists weekly slots such as mon-am, tue-pm, wed-eve.")
            .Require(Requests is null || Role == Roles.Mentee, "requests", "Only a mentee can request mentors.")
            .Require(Requests is null || Requests.Count <= 5 && Requests.All(r => !string.IsNullOrWhiteSpace(r) && r.Length <= 100), "requests", "'requests' names at most 5 mentors by external id.");

        return validation.IsValid
            ? new ParticipantEnrolled(
                programId,
                Enrolment.IdFor(programId, Role!, ExternalId!),
                Role!,
                ExternalId!.Trim(),
                Name!.Trim(),
                Email!.Trim(),
                Site!.Trim(),
                [.. (Topics ?? []).Select(t => t.Trim().ToLowerInvariant()).Distinct()],
                Modality ?? "either",
                TimeZone ?? "UTC",
                Role == Roles.Mentor ? Capacity ?? 1 : 0,
                now,
                JobRole?.Trim().ToLowerInvariant(),
                YearsExperience ?? 0,
                Availability is null ? null : [.. Availability.Distinct()],
                Requests is null ? null : [.. Requests.Select(r => r.Trim()).Distinct()])
            : null;
    }
}

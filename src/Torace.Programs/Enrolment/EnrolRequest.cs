using System.Net.Mail;
using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Enrolment;

public sealed record EnrolRequest(
    string? Role,
    string? ExternalId,
    string? Name,
    string? Email,
    string? Site,
    IReadOnlyList<string>? Topics,
    string? Modality,
    string? TimeZone,
    int? Capacity)
{
    /// <summary>The profile snapshot taken at enrolment, or null with every wrong field named.</summary>
    public ParticipantEnrolled? ToEvent(Guid programId, Guid enrolmentId, DateTimeOffset now, Validation validation)
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
            .Require(Role != Roles.Mentor || Capacity is null or >= 1 and <= 50, "capacity", "A mentor's 'capacity' must be between 1 and 50 mentees.");

        return validation.IsValid
            ? new ParticipantEnrolled(
                programId,
                enrolmentId,
                Role!,
                ExternalId!.Trim(),
                Name!.Trim(),
                Email!.Trim(),
                Site!.Trim(),
                [.. (Topics ?? []).Select(t => t.Trim().ToLowerInvariant()).Distinct()],
                Modality ?? "either",
                TimeZone ?? "UTC",
                Role == Roles.Mentor ? Capacity ?? 1 : 0,
                now)
            : null;
    }
}

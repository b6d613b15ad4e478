using Torace.Platform.Erasure;
using Torace.Platform.Storage;

namespace Torace.Programs.Enrolment;

/// <summary>
/// One person's enrolment in one program, in a stream of its own: enrolments of a program never write one shared
/// stream, so a parallel sync never conflicts. Evolve is pure: state + event → state.
/// </summary>
public sealed record Enrolment(Guid Id, ParticipantEnrolled Profile, bool Active, DateTimeOffset? WithdrawnAt)
{
    /// <summary>When the profile last changed after enrolment; null when it is the one they enrolled with.</summary>
    public DateTimeOffset? ProfileChangedAt { get; init; }

    public static Enrolment Create(ParticipantEnrolled e) => new(e.EnrolmentId, e, Active: true, WithdrawnAt: null);

    public Enrolment Apply(ParticipantEnrolled e) => this with { Profile = e, Active = true, WithdrawnAt = null, ProfileChangedAt = null };

    public Enrolment Apply(ParticipantProfileChanged e) => this with { Profile = e.Profile, ProfileChangedAt = e.ChangedAt };

    public Enrolment Apply(ParticipantWithdrawn e) => this with { Active = false, WithdrawnAt = e.WithdrawnAt };

    /// <summary>When the person stopped their reminders; null while they get them.</summary>
    public DateTimeOffset? RemindersStoppedAt { get; init; }

    public Enrolment Apply(RemindersStopped e) => this with { RemindersStoppedAt = e.StoppedAt };

    public Enrolment Apply(RemindersResumed e) => this with { RemindersStoppedAt = null };

    /// <summary>When the person's personal data was erased; null while it is kept.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    public Enrolment Apply(PersonalDataErased e) => this with
    {
        Profile = Profile with { ExternalId = Erased.ExternalId(e.Pseudonym), Name = Erased.Name, Email = Erased.Email, Requests = null },
        ErasedAt = e.ErasedAt,
    };

    /// <summary>
    /// The enrolment's id, and its stream's: derived from program, role and external id, so the same person enrolled
    /// twice is the same stream, and uniqueness needs no lock or shared stream.
    /// </summary>
    public static Guid IdFor(Guid programId, string role, string externalId)
        => NameBasedId.From($"enrolment|{programId:N}|{role}|{externalId.Trim().ToLowerInvariant()}");
}

public static class EnrolmentStatus
{
    public const string Active = "active";
    public const string Withdrawn = "withdrawn";
}

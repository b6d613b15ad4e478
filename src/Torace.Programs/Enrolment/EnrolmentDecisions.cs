using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Enrolment;

/// <summary>How an enrol request turned out: a new enrolment, the one the person already has with a new profile, or that one unchanged.</summary>
public enum EnrolOutcome
{
    Created,
    Updated,
    Unchanged,
}

public static class EnrolmentDecisions
{
    /// <summary>
    /// Enrols the person, or answers the enrolment they already have: enrolling the same person (external id and role)
    /// again with the same profile changes nothing, with a different one changes the profile. A withdrawn person enrols
    /// again under the same id.
    /// </summary>
    public static (EnrolOutcome Outcome, IReadOnlyList<object> Events) Enrol(ProgramState program, Enrolment? existing, ParticipantEnrolled enrolment)
    {
        RefuseErased(existing);
        if (existing is { Active: true })
        {
            var changed = ChangeProfile(program, existing, enrolment, enrolment.EnrolledAt);
            return (changed.Count == 0 ? EnrolOutcome.Unchanged : EnrolOutcome.Updated, changed);
        }
        if (!program.AcceptsEnrolments)
        {
            throw Rejected.Conflict(program.EnrolmentClosedReason);
        }
        return (EnrolOutcome.Created, [enrolment]);
    }

    /// <summary>
    /// The person's profile becomes <paramref name="profile"/> (role and external id stay, so does the time they enrolled);
    /// the same profile changes nothing. A finished program's snapshots are history and stay as they were.
    /// </summary>
    public static IReadOnlyList<object> ChangeProfile(ProgramState program, Enrolment enrolment, ParticipantEnrolled profile, DateTimeOffset now)
    {
        RefuseErased(enrolment);
        if (!enrolment.Active)
        {
            throw Rejected.Conflict($"Enrolment {enrolment.Id} was withdrawn; enrol the person again to change their profile.");
        }
        var snapshot = profile with { EnrolmentId = enrolment.Id, ProgramId = enrolment.Profile.ProgramId, Role = enrolment.Profile.Role, EnrolledAt = enrolment.Profile.EnrolledAt };
        if (SameProfile(enrolment.Profile, snapshot))
        {
            return [];
        }
        if (program.Status is ProgramStatus.Completed or ProgramStatus.Cancelled)
        {
            throw Rejected.Conflict($"The program is {program.Status.ToString().ToLowerInvariant()}; its enrolments are kept as they were.");
        }
        return [new ParticipantProfileChanged(enrolment.Profile.ProgramId, enrolment.Id, snapshot, now)];
    }

    public static IReadOnlyList<object> Withdraw(Enrolment enrolment, DateTimeOffset now) =>
        enrolment.Active ? [new ParticipantWithdrawn(enrolment.Profile.ProgramId, enrolment.Id, now)] : [];

    /// <summary>Stops or resumes the enrolment's reminders; asking for what already holds changes nothing.</summary>
    public static IReadOnlyList<object> SetReminders(Enrolment enrolment, bool stopped, string by, DateTimeOffset now) =>
        (stopped, enrolment.RemindersStoppedAt is not null) switch
        {
            (true, false) => [new RemindersStopped(enrolment.Profile.ProgramId, enrolment.Id, by, now)],
            (false, true) => [new RemindersResumed(enrolment.Profile.ProgramId, enrolment.Id, by, now)],
            _ => [],
        };

    /// <summary>Erases the person's data from the enrolment; erasing it again changes nothing.</summary>
    public static IReadOnlyList<object> Erase(Enrolment enrolment, Guid pseudonym, DateTimeOffset now) =>
        enrolment.ErasedAt is null ? [new PersonalDataErased(enrolment.Profile.ProgramId, enrolment.Id, pseudonym, now)] : [];

    /// <summary>An erased enrolment keeps nothing of the person, so it cannot be theirs again: they enrol under a new external id.</summary>
    static void RefuseErased(Enrolment? enrolment)
    {
        if (enrolment?.ErasedAt is { } erasedAt)
        {
            throw Rejected.Conflict($"This person's personal data was erased on {erasedAt:yyyy-MM-dd}; enrol them under a new externalId.");
        }
    }

    /// <summary>The same person and profile, whenever they enrolled.</summary>
    public static bool SameProfile(ParticipantEnrolled a, ParticipantEnrolled b) =>
        a with { EnrolledAt = default, Topics = [], Availability = null, Requests = null }
            == b with { EnrolledAt = default, Topics = [], Availability = null, Requests = null }
        && a.Topics.SequenceEqual(b.Topics)
        && (a.Availability ?? []).SequenceEqual(b.Availability ?? [])
        && (a.Requests ?? []).SequenceEqual(b.Requests ?? []);
}

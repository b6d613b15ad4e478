using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Enrolment;

/// <summary>How an enrol request turned out: a new enrolment, or the one the person already has.</summary>
public enum EnrolOutcome
{
    Created,
    Unchanged,
}

public static class EnrolmentDecisions
{
    /// <summary>
    /// Enrols the person, or answers the enrolment they already have: enrolling the same person (external id and role)
    /// again with the same profile changes nothing. A withdrawn person enrols again under the same id.
    /// </summary>
    public static (EnrolOutcome Outcome, IReadOnlyList<object> Events) Enrol(ProgramState program, Enrolment? existing, ParticipantEnrolled enrolment)
    {
        if (existing is { Active: true })
        {
            return SameProfile(existing.Profile, enrolment)
                ? (EnrolOutcome.Unchanged, [])
                : throw Rejected.Conflict($"'{enrolment.ExternalId}' is already enrolled in this program as {enrolment.Role} (enrolment {existing.Id}) "
                    + "with a different profile; withdraw and enrol again to change it.");
        }
        if (program.Status is not (ProgramStatus.Open or ProgramStatus.Matching))
        {
            throw Rejected.Conflict($"The program is {program.Status.ToString().ToLowerInvariant()}, not open for enrolment.");
        }
        return (EnrolOutcome.Created, [enrolment]);
    }

    public static IReadOnlyList<object> Withdraw(Enrolment enrolment, DateTimeOffset now) =>
        enrolment.Active ? [new ParticipantWithdrawn(enrolment.Profile.ProgramId, enrolment.Id, now)] : [];

    /// <summary>The same person and profile, whenever they enrolled.</summary>
    static bool SameProfile(ParticipantEnrolled a, ParticipantEnrolled b) =>
        a with { EnrolledAt = default, Topics = [], Availability = null, Requests = null }
            == b with { EnrolledAt = default, Topics = [], Availability = null, Requests = null }
        && a.Topics.SequenceEqual(b.Topics)
        && (a.Availability ?? []).SequenceEqual(b.Availability ?? [])
        && (a.Requests ?? []).SequenceEqual(b.Requests ?? []);
}

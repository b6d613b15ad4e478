using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Enrolment;

public static class EnrolmentDecisions
{
    public static IReadOnlyList<object> Enrol(ProgramState program, ParticipantEnrolled enrolment)
    {
        if (program.Status != ProgramStatus.Open)
        {
            throw Rejected.Conflict($"The program is {program.Status.ToString().ToLowerInvariant()}, not open for enrolment.");
        }
        if (program.Enrolments.Values.Any(e => e.Active && e.ExternalId == enrolment.ExternalId && e.Role == enrolment.Role))
        {
            throw Rejected.Conflict($"'{enrolment.ExternalId}' is already enrolled in this program as {enrolment.Role}.");
        }
        return [enrolment];
    }

    public static IReadOnlyList<object> Withdraw(ProgramState program, Guid enrolmentId, DateTimeOffset now)
    {
        if (!program.Enrolments.TryGetValue(enrolmentId, out var enrolment))
        {
            throw Rejected.NotFound($"Enrolment {enrolmentId} is not part of this program.");
        }
        return enrolment.Active ? [new ParticipantWithdrawn(program.Id, enrolmentId, now)] : [];
    }
}

using Torace.Platform.Api;

namespace Torace.Programs.Lifecycle;

/// <summary>
/// Decide: command + state → new events, or a rejection naming the program's state. No I/O. A command already done
/// (opening an open program, cancelling a cancelled one) answers no events.
/// </summary>
public static class ProgramDecisions
{
    public static ProgramCreated Create(Guid programId, ProgramDefinition definition, DateTimeOffset now) =>
        new(programId, definition, now);

    public static IReadOnlyList<object> Edit(ProgramState program, ProgramDefinition definition, DateTimeOffset now) => program.Status switch
    {
        ProgramStatus.Draft => [new ProgramDefinitionChanged(program.Id, definition, now)],
        _ => throw Rejected.Conflict($"The program is {Named(program)}; only a draft can be edited."),
    };

    public static IReadOnlyList<object> Open(ProgramState program, DateTimeOffset now) => program.Status switch
    {
        ProgramStatus.Draft => [new ProgramOpened(program.Id, program.Definition, now)],
        ProgramStatus.Open => [],
        _ => throw Rejected.Conflict($"The program is {Named(program)}; only a draft can be opened."),
    };

    /// <summary>Nobody else may enrol; whoever is in stays, and matching and engagements go on.</summary>
    public static IReadOnlyList<object> CloseEnrolment(ProgramState program, DateTimeOffset now) => program.Status switch
    {
        ProgramStatus.Open or ProgramStatus.Matching or ProgramStatus.Running => program.EnrolmentOpen ? [new EnrolmentClosed(program.Id, now)] : [],
        _ => throw Rejected.Conflict($"The program is {Named(program)}; only a program open for enrolment can close it."),
    };

    /// <summary>Matching starts over exactly the enrolments active now; a program can be matched again later (late arrivals).</summary>
    public static IReadOnlyList<object> RequestMatching(
        ProgramState program, Guid runId, IReadOnlyList<Guid> enrolmentIds, Guid? keepPinnedFrom, DateTimeOffset now,
        IReadOnlyDictionary<Guid, DateTimeOffset>? profilesAt = null) => program.Status switch
    {
        ProgramStatus.Open or ProgramStatus.Matching or ProgramStatus.Running =>
            [new MatchingRequested(program.Id, runId, enrolmentIds, keepPinnedFrom, now, profilesAt is { Count: > 0 } ? profilesAt : null)],
        _ => throw Rejected.Conflict($"The program is {Named(program)}; open it before matching."),
    };

    /// <summary>The first published match starts the program; later ones change nothing.</summary>
    public static IReadOnlyList<object> Start(ProgramState program, Guid matchId, DateTimeOffset now) => program.Status switch
    {
        ProgramStatus.Open or ProgramStatus.Matching => [new ProgramStarted(program.Id, matchId, now)],
        _ => [],
    };

    /// <summary>A running program whose every engagement has completed or ended is completed.</summary>
    public static IReadOnlyList<object> Complete(ProgramState program, int engagements, int stillGoing, DateTimeOffset now) =>
        program.Status == ProgramStatus.Running && engagements > 0 && stillGoing == 0
            ? [new ProgramCompleted(program.Id, engagements, now)]
            : [];

    /// <summary>Cancelling ends every engagement and tells the participants why (through the event); a completed program stays completed.</summary>
    public static IReadOnlyList<object> Cancel(ProgramState program, string reason, DateTimeOffset now) => program.Status switch
    {
        ProgramStatus.Cancelled => [],
        ProgramStatus.Completed => throw Rejected.Conflict("The program is completed; a completed program cannot be cancelled."),
        _ => [new ProgramCancelled(program.Id, program.Definition.Name, reason, now)],
    };

    static string Named(ProgramState program) => program.Status.ToString().ToLowerInvariant();
}

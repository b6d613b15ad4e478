using Torace.Platform.Api;

namespace Torace.Programs.Lifecycle;

/// <summary>Decide: command + state → new events, or a rejection. No I/O.</summary>
public static class ProgramDecisions
{
    public static ProgramCreated Create(Guid programId, ProgramDefinition definition, DateTimeOffset now) =>
        new(programId, definition, now);

    public static IReadOnlyList<object> Open(ProgramState program, DateTimeOffset now) => program.Status switch
    {
        ProgramStatus.Draft => [new ProgramOpened(program.Id, program.Definition, now)],
        ProgramStatus.Open => [],
        _ => throw Rejected.Conflict($"The program is {program.Status.ToString().ToLowerInvariant()}; only a draft can be opened."),
    };

    /// <summary>Matching starts (Open → Matching) over exactly the enrolments active now; a program can be matched again later.</summary>
    public static IReadOnlyList<object> RequestMatching(
        ProgramState program, Guid runId, IReadOnlyList<Guid> enrolmentIds, Guid? keepPinnedFrom, DateTimeOffset now) => program.Status switch
    {
        ProgramStatus.Open or ProgramStatus.Matching => [new MatchingRequested(program.Id, runId, enrolmentIds, keepPinnedFrom, now)],
        _ => throw Rejected.Conflict($"The program is {program.Status.ToString().ToLowerInvariant()}; open it before matching."),
    };
}

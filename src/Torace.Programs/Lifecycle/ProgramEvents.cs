using Torace.Contracts;

namespace Torace.Programs.Lifecycle;

/// <summary>
/// What a coordinator defines; validated once, when the program is created. <see cref="SessionMinutes"/> came later:
/// a definition stored before it reads as the default (a PD plan's hours are sessions × this length).
/// </summary>
public sealed record ProgramDefinition(
    string Name,
    string Kind,
    string Topic,
    IReadOnlyList<SessionPlan> Sessions,
    int GroupSize,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointPlan> Touchpoints,
    PoolPlan Pool,
    MatchingPlan Matching,
    MatchMessage Message,
    int SessionMinutes = ProgramDefinition.DefaultSessionMinutes)
{
    public const int DefaultSessionMinutes = 45;
}

public sealed record ProgramCreated(Guid ProgramId, ProgramDefinition Definition, DateTimeOffset CreatedAt);

/// <summary>Enrolment opened; carries the definition because Matching and Scheduling need it.</summary>
public sealed record ProgramOpened(Guid ProgramId, ProgramDefinition Definition, DateTimeOffset OpenedAt);

/// <summary>
/// A coordinator started matching: the run covers exactly the enrolments active when it was asked for, so Matching can
/// wait until it holds each of them instead of missing the ones still on their way.
/// </summary>
public sealed record MatchingRequested(Guid ProgramId, Guid RunId, IReadOnlyList<Guid> EnrolmentIds, Guid? KeepPinnedFrom, DateTimeOffset RequestedAt);

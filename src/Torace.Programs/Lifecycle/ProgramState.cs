namespace Torace.Programs.Lifecycle;

public enum ProgramStatus
{
    Draft,
    Open,
    Matching,
    Running,
    Completed,
    Cancelled,
}

/// <summary>A program as its stream tells it. Enrolments live in streams of their own. Evolve is pure: state + event → state.</summary>
public sealed record ProgramState(Guid Id, ProgramDefinition Definition, ProgramStatus Status, DateTimeOffset CreatedAt)
{
    /// <summary>Whether people may still enrol; closing enrolment leaves the program's status as it is.</summary>
    public bool EnrolmentOpen { get; init; }

    public string? CancellationReason { get; init; }

    public static ProgramState Create(ProgramCreated created) => new(created.ProgramId, created.Definition, ProgramStatus.Draft, created.CreatedAt);

    public ProgramState Apply(ProgramDefinitionChanged e) => this with { Definition = e.Definition };

    public ProgramState Apply(ProgramOpened _) => this with { Status = ProgramStatus.Open, EnrolmentOpen = true };

    public ProgramState Apply(EnrolmentClosed _) => this with { EnrolmentOpen = false };

    public ProgramState Apply(MatchingRequested _) => this with { Status = Status == ProgramStatus.Running ? Status : ProgramStatus.Matching };

    public ProgramState Apply(ProgramStarted _) => this with { Status = ProgramStatus.Running };

    public ProgramState Apply(ProgramCompleted _) => this with { Status = ProgramStatus.Completed, EnrolmentOpen = false };

    public ProgramState Apply(ProgramCancelled e) => this with { Status = ProgramStatus.Cancelled, EnrolmentOpen = false, CancellationReason = e.Reason };

    /// <summary>The whole evolve, one event at a time (Marten calls the Apply methods; tests and rebuilds call this).</summary>
    public static ProgramState Replay(ProgramState? state, object e) => (state, e) switch
    {
        (null, ProgramCreated c) => Create(c),
        ({ } s, ProgramDefinitionChanged x) => s.Apply(x),
        ({ } s, ProgramOpened x) => s.Apply(x),
        ({ } s, EnrolmentClosed x) => s.Apply(x),
        ({ } s, MatchingRequested x) => s.Apply(x),
        ({ } s, ProgramStarted x) => s.Apply(x),
        ({ } s, ProgramCompleted x) => s.Apply(x),
        ({ } s, ProgramCancelled x) => s.Apply(x),
        _ => throw new ArgumentException($"{e.GetType().Name} does not apply to {(state is null ? "a new program" : "a program")}.", nameof(e)),
    };

    public bool AcceptsEnrolments => EnrolmentOpen && Status is ProgramStatus.Open or ProgramStatus.Matching or ProgramStatus.Running;

    /// <summary>Why an enrolment is refused, in the coordinator's words.</summary>
    public string EnrolmentClosedReason => Status switch
    {
        ProgramStatus.Open or ProgramStatus.Matching or ProgramStatus.Running => "Enrolment in this program is closed.",
        _ => $"The program is {Status.ToString().ToLowerInvariant()}, not open for enrolment.",
    };
}

public static class Roles
{
    public const string Mentor = "mentor";
    public const string Mentee = "mentee";
    public static readonly string[] All = [Mentor, Mentee];
}

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
    public static ProgramState Create(ProgramCreated created) => new(created.ProgramId, created.Definition, ProgramStatus.Draft, created.CreatedAt);

    public ProgramState Apply(ProgramOpened _) => this with { Status = ProgramStatus.Open };

    public ProgramState Apply(MatchingRequested _) => this with { Status = ProgramStatus.Matching };
}

public static class Roles
{
    public const string Mentor = "mentor";
    public const string Mentee = "mentee";
    public static readonly string[] All = [Mentor, Mentee];
}

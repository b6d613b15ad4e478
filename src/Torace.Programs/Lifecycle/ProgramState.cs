using System.Collections.Immutable;

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

public sealed record EnrolmentSummary(Guid EnrolmentId, string Role, string ExternalId, bool Active);

/// <summary>A program as its stream tells it. Evolve is pure: state + event → state.</summary>
public sealed record ProgramState(
    Guid Id,
    ProgramDefinition Definition,
    ProgramStatus Status,
    ImmutableDictionary<Guid, EnrolmentSummary> Enrolments)
{
    public int ActiveMentors => Enrolments.Values.Count(e => e.Active && e.Role == Roles.Mentor);

    public int ActiveMentees => Enrolments.Values.Count(e => e.Active && e.Role == Roles.Mentee);

    public static ProgramState Create(ProgramCreated created) =>
        new(created.ProgramId, created.Definition, ProgramStatus.Draft, ImmutableDictionary<Guid, EnrolmentSummary>.Empty);

    public ProgramState Apply(ProgramOpened _) => this with { Status = ProgramStatus.Open };

    public ProgramState Apply(ParticipantEnrolled e) =>
        this with { Enrolments = Enrolments.SetItem(e.EnrolmentId, new EnrolmentSummary(e.EnrolmentId, e.Role, e.ExternalId, Active: true)) };

    public ProgramState Apply(ParticipantWithdrawn e) =>
        this with { Enrolments = Enrolments.SetItem(e.EnrolmentId, Enrolments[e.EnrolmentId] with { Active = false }) };
}

public static class Roles
{
    public const string Mentor = "mentor";
    public const string Mentee = "mentee";
    public static readonly string[] All = [Mentor, Mentee];
}

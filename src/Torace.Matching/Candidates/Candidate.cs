using Torace.Contracts;

namespace Torace.Matching.Candidates;

/// <summary>An enrolled person as Matching sees them: the profile snapshot taken at enrolment.</summary>
public sealed record Candidate(
    Guid Id,
    Guid ProgramId,
    string Role,
    string ExternalId,
    string Name,
    string Email,
    string Site,
    IReadOnlyList<string> Topics,
    string Modality,
    string TimeZone,
    int Capacity,
    DateTimeOffset EnrolledAt,
    bool Active)
{
    public Participant AsParticipant() => new(Id, Name, Email, Site, TimeZone);
}

/// <summary>What Matching keeps of a program once it opens: the rules and the facts a match must carry.</summary>
public sealed record MatchingProgram(
    Guid Id,
    string Name,
    string Kind,
    string Topic,
    int GroupSize,
    IReadOnlyList<SessionPlan> Sessions,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointPlan> Touchpoints,
    string PoolSites,
    string Review,
    MatchMessage Message)
{
    public Guid ProgramId => Id;
}

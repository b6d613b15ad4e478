using Torace.Contracts;
using Torace.Matching.Candidates;

namespace Torace.Matching.Matches;

/// <summary>A proposal the coordinator published: the facts every downstream service needs travel with it.</summary>
public sealed record MatchPublished(
    Guid MatchId,
    Guid RunId,
    MatchingProgram Program,
    Participant Mentor,
    IReadOnlyList<Participant> Mentees,
    double Score,
    IReadOnlyList<string> Reasons,
    DateTimeOffset PublishedAt);

public sealed record Match(
    Guid Id,
    Guid ProgramId,
    Guid RunId,
    Participant Mentor,
    IReadOnlyList<Participant> Mentees,
    double Score,
    IReadOnlyList<string> Reasons,
    string Status,
    DateTimeOffset PublishedAt)
{
    public static Match Create(MatchPublished e) =>
        new(e.MatchId, e.Program.ProgramId, e.RunId, e.Mentor, e.Mentees, e.Score, e.Reasons, "published", e.PublishedAt);
}

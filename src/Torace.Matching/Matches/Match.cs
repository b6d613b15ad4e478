using Torace.Contracts;
using Torace.Matching.Candidates;
using Torace.Platform.Api;

namespace Torace.Matching.Matches;

/// <summary>A person in a match, with the external id that links them across the district's programs.</summary>
public sealed record MatchedPerson(Guid EnrolmentId, string ExternalId, string Name, string Email, string Site, string TimeZone)
{
    public static MatchedPerson From(Candidate c) => new(c.Id, c.ExternalId, c.Name, c.Email, c.Site, c.TimeZone);

    public Participant AsParticipant() => new(EnrolmentId, Name, Email, Site, TimeZone);
}

/// <summary>A proposal the coordinator published: the facts every downstream service needs travel with it.</summary>
public sealed record MatchPublished(
    Guid MatchId,
    Guid RunId,
    MatchingProgram Program,
    MatchedPerson Mentor,
    IReadOnlyList<MatchedPerson> Mentees,
    double Score,
    IReadOnlyList<string> Reasons,
    DateTimeOffset PublishedAt,
    int Round = 1);

/// <summary>A participant said no. The match ends when the mentor or its last mentee declines.</summary>
public sealed record MatchDeclinedByParticipant(
    Guid MatchId,
    Guid ProgramId,
    MatchedPerson Decliner,
    string? Reason,
    bool EndsMatch,
    DateTimeOffset DeclinedAt);

/// <summary>Scheduling finished the engagement; the mentees now count as the mentor's past load.</summary>
public sealed record MatchCompleted(Guid MatchId, DateTimeOffset CompletedAt);

public static class MatchStatus
{
    public const string Published = "published";
    public const string Declined = "declined";
    public const string Completed = "completed";
}

public sealed record Match(
    Guid Id,
    Guid ProgramId,
    Guid RunId,
    int Round,
    MatchedPerson Mentor,
    IReadOnlyList<MatchedPerson> Mentees,
    double Score,
    IReadOnlyList<string> Reasons,
    string Status,
    DateTimeOffset PublishedAt,
    IReadOnlyList<Guid> DeclinedBy)
{
    /// <summary>The mentees still in the match.</summary>
    public IEnumerable<MatchedPerson> Seated => Mentees.Where(m => !DeclinedBy.Contains(m.EnrolmentId));

    public static Match Create(MatchPublished e) =>
        new(e.MatchId, e.Program.ProgramId, e.RunId, e.Round, e.Mentor, e.Mentees, e.Score, e.Reasons, MatchStatus.Published, e.PublishedAt, []);

    public Match Apply(MatchDeclinedByParticipant e) =>
        this with { DeclinedBy = [.. DeclinedBy, e.Decliner.EnrolmentId], Status = e.EndsMatch ? MatchStatus.Declined : Status };

    public Match Apply(MatchCompleted e) => this with { Status = MatchStatus.Completed };
}

public static class MatchDecisions
{
    public static MatchDeclinedByParticipant Decline(Match match, Guid enrolmentId, string? reason, DateTimeOffset now)
    {
        if (match.Status != MatchStatus.Published)
        {
            throw Rejected.Conflict($"The match is {match.Status}; only a published match can be declined.");
        }
        var isMentor = match.Mentor.EnrolmentId == enrolmentId;
        var mentee = match.Seated.FirstOrDefault(m => m.EnrolmentId == enrolmentId);
        if (!isMentor && mentee is null)
        {
            throw match.Mentees.Any(m => m.EnrolmentId == enrolmentId)
                ? Rejected.Conflict("This mentee has already declined the match.")
                : Rejected.Conflict("The enrolment is not part of this match.");
        }
        var endsMatch = isMentor || match.Seated.Count() == 1;
        return new MatchDeclinedByParticipant(match.Id, match.ProgramId, isMentor ? match.Mentor : mentee!, reason, endsMatch, now);
    }

    public static MatchCompleted? Complete(Match match, DateTimeOffset now) =>
        match.Status == MatchStatus.Published ? new MatchCompleted(match.Id, now) : null;
}

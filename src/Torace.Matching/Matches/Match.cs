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

/// <summary>
/// A participant said no, or left the program (<see cref="Withdrawn"/>). The match ends when the mentor or its last
/// mentee goes. A decline rules the pair out for good; a withdrawal says nothing about the pair.
/// </summary>
public sealed record MatchDeclinedByParticipant(
    Guid MatchId,
    Guid ProgramId,
    MatchedPerson Decliner,
    string? Reason,
    bool EndsMatch,
    DateTimeOffset DeclinedAt,
    bool Withdrawn = false);

/// <summary>The program was cancelled while the match was going: it ends, without counting as the mentor's load.</summary>
public sealed record MatchEndedWithProgram(Guid MatchId, Guid ProgramId, string Reason, DateTimeOffset EndedAt);

/// <summary>Scheduling finished the engagement; the mentees now count as the mentor's past load.</summary>
public sealed record MatchCompleted(Guid MatchId, DateTimeOffset CompletedAt);

public static class MatchStatus
{
    public const string Published = "published";
    public const string Declined = "declined";
    public const string Withdrawn = "withdrawn";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public static readonly string[] All = [Published, Declined, Withdrawn, Completed, Cancelled];
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
    IReadOnlyList<Guid> DeclinedBy,
    IReadOnlyList<Guid>? WithdrawnBy = null)
{
    /// <summary>The mentees still in the match.</summary>
    public IEnumerable<MatchedPerson> Seated => Mentees.Where(m => !DeclinedBy.Contains(m.EnrolmentId));

    /// <summary>Whether this person left the match by withdrawing from the program (not by declining the pair).</summary>
    public bool HasWithdrawn(Guid enrolmentId) => WithdrawnBy?.Contains(enrolmentId) == true;

    public static Match Create(MatchPublished e) =>
        new(e.MatchId, e.Program.ProgramId, e.RunId, e.Round, e.Mentor, e.Mentees, e.Score, e.Reasons, MatchStatus.Published, e.PublishedAt, []);

    public Match Apply(MatchDeclinedByParticipant e) => this with
    {
        DeclinedBy = [.. DeclinedBy, e.Decliner.EnrolmentId],
        WithdrawnBy = e.Withdrawn ? [.. WithdrawnBy ?? [], e.Decliner.EnrolmentId] : WithdrawnBy,
        Status = !e.EndsMatch ? Status : e.Withdrawn ? MatchStatus.Withdrawn : MatchStatus.Declined,
    };

    /// <summary>Whether the person is still in this published match (its mentor, or a mentee who has not left).</summary>
    public bool StillHas(Guid enrolmentId) =>
        Status == MatchStatus.Published && (Mentor.EnrolmentId == enrolmentId || Seated.Any(m => m.EnrolmentId == enrolmentId));

    public Match Apply(MatchCompleted e) => this with { Status = MatchStatus.Completed };

    public Match Apply(MatchEndedWithProgram e) => this with { Status = MatchStatus.Cancelled };
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

    /// <summary>
    /// A participant withdrew from the program: they leave every match they are still in, which ends it if they were
    /// the mentor or its last mentee, so the engagement stops and whoever is left is matched again.
    /// </summary>
    public static MatchDeclinedByParticipant? Withdraw(Match match, Guid enrolmentId, DateTimeOffset now) =>
        match.StillHas(enrolmentId)
            ? Decline(match, enrolmentId, WithdrawnReason, now) with { Withdrawn = true }
            : null;

    public const string WithdrawnReason = "withdrew from the program";

    public static MatchEndedWithProgram? EndWithProgram(Match match, string reason, DateTimeOffset now) =>
        match.Status == MatchStatus.Published ? new MatchEndedWithProgram(match.Id, match.ProgramId, reason, now) : null;

    public static MatchCompleted? Complete(Match match, DateTimeOffset now) =>
        match.Status == MatchStatus.Published ? new MatchCompleted(match.Id, now) : null;
}

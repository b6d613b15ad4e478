using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;

namespace Torace.Programs.People;

/// <summary>A person in a published match, as the match named them.</summary>
public sealed record MatchedPerson(Guid EnrolmentId, string Name, string Site);

/// <summary>
/// A published match as Programs heard of it (MatchProposed, MatchDeclined), kept for people's pages and reports.
/// Messages may arrive in any order, so each one only adds what it knows. Evolve is pure.
/// </summary>
public sealed record MatchRecord(
    Guid Id,
    Guid ProgramId,
    MatchedPerson? Mentor,
    IReadOnlyList<MatchedPerson> Mentees,
    DateTimeOffset? ProposedAt,
    IReadOnlyList<Guid> Left,
    DateTimeOffset? EndedAt)
{
    public static MatchRecord Empty(Guid matchId, Guid programId) => new(matchId, programId, null, [], null, [], null);

    public MatchRecord Apply(MatchProposed e) => this with
    {
        Mentor = new MatchedPerson(e.Mentor.EnrolmentId, e.Mentor.Name, e.Mentor.Site),
        Mentees = [.. e.Mentees.Select(m => new MatchedPerson(m.EnrolmentId, m.Name, m.Site))],
        ProposedAt = e.ProposedAt,
    };

    /// <summary>A decline that ends the match ends it for everyone; otherwise only the one who declined leaves it.</summary>
    public MatchRecord Apply(MatchDeclined e) => e.MatchEnded
        ? this with { EndedAt = EndedAt ?? e.DeclinedAt, Left = Left.Contains(e.DeclinedBy) ? Left : [.. Left, e.DeclinedBy] }
        : this with { Left = Left.Contains(e.DeclinedBy) ? Left : [.. Left, e.DeclinedBy] };

    /// <summary>Its engagement ended (the program was cancelled, or a decline that reached Scheduling first).</summary>
    public MatchRecord Apply(EngagementEnded e) => this with { EndedAt = EndedAt ?? e.EndedAt };

    /// <summary>Its pairing of a speed-mentoring event ended while the event went on.</summary>
    public MatchRecord Apply(PairingEnded e) => this with { EndedAt = EndedAt ?? e.EndedAt };

    public bool Live => EndedAt is null && Mentor is not null;

    /// <summary>The mentees still in the match.</summary>
    public IEnumerable<MatchedPerson> CurrentMentees => Mentees.Where(m => !Left.Contains(m.EnrolmentId));

    public IEnumerable<Guid> Participants => (Mentor is null ? [] : new[] { Mentor.EnrolmentId }).Concat(Mentees.Select(m => m.EnrolmentId));

    public bool Includes(Guid enrolmentId) => Participants.Contains(enrolmentId);

    public string StatusOf(Guid enrolmentId) =>
        EndedAt is not null ? (Left.Contains(enrolmentId) ? MatchStatus.Declined : MatchStatus.Ended)
        : Left.Contains(enrolmentId) ? MatchStatus.Declined
        : MatchStatus.Active;
}

public static class MatchStatus
{
    public const string Active = "active";
    public const string Declined = "declined";
    public const string Ended = "ended";
    public static readonly string[] All = [Active, Declined, Ended];
}

public sealed record CompletedSession(int Number, DateTimeOffset CompletedAt, IReadOnlyList<Guid> Participants);

/// <summary>A touchpoint as far as Programs has heard: when it fell due (and to whom), when it was submitted.</summary>
public sealed record TouchpointRecord(Guid Id, string Kind, DateTimeOffset? DueAt, IReadOnlyList<Guid> Recipients, DateTimeOffset? SubmittedAt);

/// <summary>
/// An engagement as Programs heard of it from Scheduling's events, kept for people's pages and reports. Messages may
/// arrive in any order and more than once (a touchpoint falls due again as a nudge), so each one only adds what it knows.
/// </summary>
public sealed record EngagementRecord(
    Guid Id,
    Guid ProgramId,
    Guid? MatchId,
    int SessionsPlanned,
    DateTimeOffset? ScheduledAt,
    IReadOnlyList<CompletedSession> Sessions,
    IReadOnlyList<TouchpointRecord> Touchpoints,
    DateTimeOffset? CompletedAt)
{
    /// <summary>When it ended without completing: its match was declined or withdrawn from, or the program cancelled.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Every match it is the engagement of: one, or each pairing of a speed-mentoring event.</summary>
    public IReadOnlyList<Guid> MatchIds { get; init; } = [];

    /// <summary>The matches it is known to belong to (records from before <see cref="MatchIds"/> name only <see cref="MatchId"/>).</summary>
    public IEnumerable<Guid> Matches => MatchIds.Count > 0 ? MatchIds : MatchId is { } id ? [id] : [];

    /// <summary>Completed or ended: nothing more happens in it.</summary>
    public bool Finished => CompletedAt is not null || EndedAt is not null;

    public static EngagementRecord Empty(Guid engagementId, Guid programId) => new(engagementId, programId, null, 0, null, [], [], null);

    /// <summary>
    /// Each match of the engagement is told once (a speed-mentoring event's pairings each with their round, numbered as
    /// the event's sessions, so the highest number is how many it plans).
    /// </summary>
    public EngagementRecord Apply(EngagementScheduled e) => this with
    {
        MatchId = MatchId ?? e.MatchId,
        MatchIds = [.. Matches.Append(e.MatchId).Distinct()],
        SessionsPlanned = Math.Max(SessionsPlanned, e.Sessions.Select(s => s.Number).DefaultIfEmpty(0).Max()),
        ScheduledAt = ScheduledAt is { } earlier && earlier <= e.ScheduledAt ? earlier : e.ScheduledAt,
    };

    public EngagementRecord Apply(SessionCompleted e) => Sessions.Any(s => s.Number == e.SessionNumber)
        ? this
        : this with { Sessions = [.. Sessions, new CompletedSession(e.SessionNumber, e.CompletedAt, [.. e.Participants.Select(p => p.EnrolmentId)])] };

    public EngagementRecord Apply(TouchpointDue e) => WithTouchpoint(e.TouchpointId, e.Kind, t => t with
    {
        DueAt = t.DueAt is { } earlier && earlier <= e.DueAt ? earlier : e.DueAt,
        Recipients = t.Recipients.Count > 0 ? t.Recipients : [.. e.Recipients.Select(r => r.EnrolmentId)],
    });

    public EngagementRecord Apply(TouchpointSubmitted e) => WithTouchpoint(e.TouchpointId, e.Kind, t => t with
    {
        SubmittedAt = t.SubmittedAt ?? e.SubmittedAt,
        Recipients = t.Recipients.Count > 0 || e.RecipientId is not { } recipient ? t.Recipients : [recipient],
    });

    public EngagementRecord Apply(EngagementCompleted e) => this with
    {
        CompletedAt = CompletedAt ?? e.CompletedAt,
        MatchId = MatchId ?? (e.MatchId == Guid.Empty ? null : e.MatchId),
    };

    public EngagementRecord Apply(EngagementEnded e) => this with
    {
        EndedAt = EndedAt ?? e.EndedAt,
        MatchId = MatchId ?? (e.MatchId == Guid.Empty ? null : e.MatchId),
    };

    EngagementRecord WithTouchpoint(Guid id, string kind, Func<TouchpointRecord, TouchpointRecord> change)
    {
        var existing = Touchpoints.FirstOrDefault(t => t.Id == id) ?? new TouchpointRecord(id, kind, null, [], null);
        return this with { Touchpoints = [.. Touchpoints.Where(t => t.Id != id), change(existing)] };
    }
}

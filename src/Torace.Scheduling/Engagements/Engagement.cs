using System.Collections.Immutable;
using Torace.Contracts;

namespace Torace.Scheduling.Engagements;

public sealed record EngagementSession(int Number, string Modality, DateTimeOffset? StartsAt, string Status);

public sealed record Touchpoint(Guid Id, string Kind, int? SessionNumber, DateTimeOffset DueAt, string Status, IReadOnlyList<Guid> RecipientIds);

/// <summary>The life of a published match. Evolve is pure: state + event → state.</summary>
public sealed record Engagement(
    Guid Id,
    Guid ProgramId,
    Guid MatchId,
    string ProgramName,
    Participant Mentor,
    IReadOnlyList<Participant> Mentees,
    string Status,
    ImmutableList<EngagementSession> Sessions,
    ImmutableList<Touchpoint> Touchpoints)
{
    public IEnumerable<Participant> Participants => Mentees.Prepend(Mentor);

    public static Engagement Create(EngagementScheduled e) => new(
        e.EngagementId, e.ProgramId, e.MatchId, e.ProgramName, e.Mentor, e.Mentees, EngagementStatus.Active,
        [.. e.Sessions.Select(s => new EngagementSession(s.Number, s.Modality, s.StartsAt, SessionStatus.Scheduled))],
        [.. e.Touchpoints.Select(t => new Touchpoint(t.Id, t.Kind, t.SessionNumber, t.DueAt, TouchpointStatus.Scheduled, t.RecipientIds))]);

    public Engagement Apply(TouchpointBecameDue e) => WithTouchpoint(e.TouchpointId, TouchpointStatus.Due);

    public Engagement Apply(TouchpointSubmitted e) => WithTouchpoint(e.TouchpointId, TouchpointStatus.Submitted);

    public Engagement Apply(SessionCompleted e) =>
        this with { Sessions = Sessions.Replace(Session(e.SessionNumber)!, Session(e.SessionNumber)! with { Status = SessionStatus.Completed }) };

    public Engagement Apply(EngagementCompleted _) => this with { Status = EngagementStatus.Completed };

    public Engagement Apply(EngagementCancelled _) => this with { Status = EngagementStatus.Cancelled };

    public Engagement Apply(ParticipantLeft e) => this with { Mentees = [.. Mentees.Where(m => m.EnrolmentId != e.EnrolmentId)] };

    /// <summary>The state after a decline's events (not named Evolve: Marten would take that for its own aggregation hook).</summary>
    public Engagement After(object e) => e switch
    {
        EngagementCancelled x => Apply(x),
        ParticipantLeft x => Apply(x),
        _ => throw new ArgumentException($"An engagement does not evolve by {e.GetType().Name} here.", nameof(e)),
    };

    public EngagementSession? Session(int number) => Sessions.Find(s => s.Number == number);

    public Touchpoint? Touchpoint(Guid id) => Touchpoints.Find(t => t.Id == id);

    Engagement WithTouchpoint(Guid id, string status) =>
        this with { Touchpoints = Touchpoints.Replace(Touchpoint(id)!, Touchpoint(id)! with { Status = status }) };
}

public static class EngagementStatus
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
}

public static class SessionStatus
{
    public const string Scheduled = "scheduled";
    public const string Completed = "completed";
}

public static class TouchpointStatus
{
    public const string Scheduled = "scheduled";
    public const string Due = "due";
    public const string Submitted = "submitted";
}

public static class TouchpointKinds
{
    public const string PreReflection = "pre-reflection";
    public const string PostReflection = "post-reflection";
    public const string SessionReminder = "session-reminder";
}

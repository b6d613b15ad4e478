namespace Torace.Contracts.Scheduling;

public sealed record EngagementScheduled(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid MatchId,
    IReadOnlyList<SessionPlan> Sessions,
    int Touchpoints,
    DateTimeOffset ScheduledAt) : IDistrictEvent;

/// <summary>A touchpoint (reflection, between-session activity, session reminder) is due from its recipients.</summary>
public sealed record TouchpointDue(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid TouchpointId,
    string Kind,
    int? SessionNumber,
    DateTimeOffset DueAt,
    string ProgramName,
    IReadOnlyList<Participant> Recipients,
    bool Nudge = false,
    string? Prompt = null) : IDistrictEvent;

/// <summary>
/// A participant submitted a reflection or report (<see cref="RecipientId"/> their enrolment); <see cref="Mentors"/> are
/// asked for their feedback when the submitter is a mentee. The last three are null from a Scheduling that did not send them.
/// </summary>
public sealed record TouchpointSubmitted(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid TouchpointId,
    string Kind,
    DateTimeOffset SubmittedAt,
    Guid? RecipientId = null,
    string? ProgramName = null,
    Participant? Submitter = null,
    IReadOnlyList<Participant>? Mentors = null) : IDistrictEvent;

public sealed record SessionCompleted(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    int SessionNumber,
    string ProgramName,
    IReadOnlyList<Participant> Participants,
    DateTimeOffset CompletedAt,
    bool Attended = true) : IDistrictEvent;

public sealed record EngagementCompleted(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    DateTimeOffset CompletedAt,
    Guid MatchId = default,
    int SessionsAttended = 0,
    double HoursMet = 0) : IDistrictEvent;

/// <summary>An engagement ended before it was completed: its match was declined or withdrawn from, or its program cancelled.</summary>
public sealed record EngagementEnded(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid MatchId,
    string? Reason,
    DateTimeOffset EndedAt,
    IReadOnlyList<Guid>? Pairings = null) : IDistrictEvent
{
    /// <summary>Every match the ending ends: a speed-mentoring event's pairings still meeting, or the one match.</summary>
    public IReadOnlyList<Guid> Matches => Pairings is { Count: > 0 } pairings ? pairings : [MatchId];
}

/// <summary>
/// One pairing of a speed-mentoring event ended (declined, or its mentor or last mentee left) while the event goes on:
/// its match is over and its invites are cancelled.
/// </summary>
public sealed record PairingEnded(string TenantId, Guid ProgramId, Guid EngagementId, Guid MatchId, string? Reason, DateTimeOffset EndedAt) : IDistrictEvent;

/// <summary>
/// A session's date was set (Sequence 0) or moved (Sequence raised each time, as a calendar invite's SEQUENCE needs).
/// MatchId names the session's calendar event (its UID) from the match email on; Minutes is how long a session lasts.
/// </summary>
public sealed record SessionScheduled(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    int SessionNumber,
    DateTimeOffset StartsAt,
    string Modality,
    int Sequence,
    string ProgramName,
    IReadOnlyList<Participant> Participants,
    DateTimeOffset ScheduledAt,
    Guid MatchId = default,
    int Minutes = 45) : IDistrictEvent;

/// <summary>
/// A participant proposed a date for a session (<see cref="ProposedBy"/> their enrolment); the others are asked to confirm
/// it or propose another. The date is set only when confirmed (<see cref="SessionScheduled"/> or <see cref="SessionRescheduled"/>).
/// </summary>
public sealed record SessionDateProposed(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    int SessionNumber,
    DateTimeOffset StartsAt,
    string Modality,
    Guid ProposedBy,
    string? Reason,
    string ProgramName,
    IReadOnlyList<Participant> Participants,
    DateTimeOffset ProposedAt) : IDistrictEvent;

public sealed record SessionRescheduled(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    int SessionNumber,
    DateTimeOffset? PreviousStartsAt,
    DateTimeOffset StartsAt,
    string Modality,
    int Sequence,
    string? Reason,
    string ProgramName,
    IReadOnlyList<Participant> Participants,
    DateTimeOffset RescheduledAt,
    Guid MatchId = default,
    int Minutes = 45) : IDistrictEvent;

/// <summary>An engagement had no activity for the program's stall setting: the coordinator should look at it.</summary>
public sealed record EngagementStalled(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    DateTimeOffset LastActivityAt,
    DateTimeOffset StalledAt,
    string? ProgramName = null,
    IReadOnlyList<Participant>? Participants = null) : IDistrictEvent;

/// <summary>A touchpoint's window closed without a submission.</summary>
public sealed record TouchpointMissed(
    string TenantId,
    Guid ProgramId,
    Guid EngagementId,
    Guid TouchpointId,
    string Kind,
    Guid RecipientId,
    DateTimeOffset MissedAt) : IDistrictEvent;

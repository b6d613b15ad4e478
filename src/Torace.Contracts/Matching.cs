namespace Torace.Contracts.Matching;

/// <summary>
/// A published match with everything downstream needs. A speed-mentoring event publishes one per pairing and round
/// (<see cref="Round"/> of <see cref="Rounds"/>); its <see cref="Sessions"/> is then the one meeting, at its round's time
/// (<see cref="SpeedRounds"/>). <see cref="Topic"/> is the program's topic as its coordinator named it (sel, lesson-planning).
/// </summary>
public sealed record MatchProposed(
    string TenantId,
    Guid ProgramId,
    Guid MatchId,
    Guid RunId,
    string ProgramName,
    Participant Mentor,
    IReadOnlyList<Participant> Mentees,
    IReadOnlyList<SessionPlan> Sessions,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointPlan> Touchpoints,
    MatchMessage Message,
    double Score,
    IReadOnlyList<string> Reasons,
    DateTimeOffset ProposedAt,
    EngagementRules? Reminders = null,
    int Round = 1,
    int Rounds = 1,
    string? Topic = null) : IDistrictEvent
{
    /// <summary>One pairing of a speed-mentoring event, which Scheduling keeps as one engagement for the whole event.</summary>
    public bool InSpeedEvent => Rounds > 1;
}

/// <summary>
/// A speed-mentoring event's rounds follow one another from the event's start, each as long as the program's session
/// (<see cref="EngagementRules.SessionMinutes"/>): round 2 of a 15-minute event starting at 15:30 starts at 15:45.
/// </summary>
public static class SpeedRounds
{
    public static DateTimeOffset? StartOf(DateTimeOffset? eventStart, int round, int minutes) => eventStart?.AddMinutes((round - 1) * minutes);

    /// <summary>The event's start, from one round's start.</summary>
    public static DateTimeOffset? EventStart(DateTimeOffset? roundStart, int round, int minutes) => roundStart?.AddMinutes(-(round - 1) * minutes);
}

public sealed record MatchDeclined(
    string TenantId,
    Guid ProgramId,
    Guid MatchId,
    Guid DeclinedBy,
    string? Reason,
    DateTimeOffset DeclinedAt,
    bool MatchEnded = true,
    bool Withdrawn = false) : IDistrictEvent;

/// <summary>Matching holds the requested run (it can be read now) and queued it for its run worker.</summary>
public sealed record MatchingRunQueued(
    string TenantId,
    Guid ProgramId,
    Guid RunId,
    IReadOnlyList<Guid> EnrolmentIds,
    DateTimeOffset RequestedAt,
    DateTimeOffset QueuedAt,
    IReadOnlyDictionary<Guid, DateTimeOffset>? ProfilesAt = null) : IDistrictEvent;

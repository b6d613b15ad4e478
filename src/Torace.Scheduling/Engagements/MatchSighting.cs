namespace Torace.Scheduling.Engagements;

/// <summary>A decline or withdrawal that reached Scheduling before the match it ends.</summary>
public sealed record EarlyLeave(Guid EnrolmentId, bool MatchEnded, string? Reason, DateTimeOffset At);

/// <summary>
/// What Scheduling has heard of a match, whichever message came first (MatchProposed and MatchDeclined travel on
/// separate queues, so a decline can overtake its match): the engagement it became, and any leaving heard before
/// that (a sighting, README "Messages out of order").
/// </summary>
public sealed record MatchSighting(Guid Id, Guid? EngagementId, IReadOnlyList<EarlyLeave> EarlyLeaves)
{
    public static MatchSighting None(Guid matchId) => new(matchId, null, []);
}

namespace Torace.Scheduling.Engagements;

/// <summary>A decline or withdrawal that reached Scheduling before the match it ends.</summary>
public sealed record EarlyLeave(Guid EnrolmentId, bool MatchEnded, string? Reason, DateTimeOffset At);

/// <summary>
/// What Scheduling has heard of a match, whichever message came first (MatchProposed and MatchDeclined travel on
/// separate queues, so a decline can overtake its match): the engagement it became, and any leaving heard before
/// that. Both consumers write it with optimistic concurrency, so two deliveries racing each other conflict and the
/// retry sees the other's note.
/// </summary>
public sealed record MatchSighting(Guid Id, Guid? EngagementId, IReadOnlyList<EarlyLeave> EarlyLeaves);

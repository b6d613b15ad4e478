using Marten;
using Torace.Contracts.Matching;
using Torace.Platform.Messaging;
using Torace.Scheduling.Touchpoints;

namespace Torace.Scheduling.Engagements;

/// <summary>
/// A declined (or withdrawn) match stops its engagement: the events, and its unclaimed due rows, in one transaction.
/// A decline that overtook its match is noted for <see cref="ScheduleEngagement"/> to apply when the match arrives.
/// </summary>
public sealed class EndEngagementOnDecline(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<MatchDeclined>(store)
{
    protected override async Task Handle(MatchDeclined declined, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var sighting = await session.LoadAsync<MatchSighting>(declined.MatchId, ct);
        var engagementId = sighting?.EngagementId
            ?? await session.Query<Engagement>().Where(e => e.MatchId == declined.MatchId).Select(e => e.Id).FirstOrDefaultAsync(ct);
        if (engagementId == Guid.Empty)
        {
            var leave = new EarlyLeave(declined.DeclinedBy, declined.MatchEnded, declined.Reason, declined.DeclinedAt);
            var known = sighting ?? MatchSighting.None(declined.MatchId);
            Sightings.Save(session, sighting, known with { EarlyLeaves = [.. known.EarlyLeaves, leave] });
            return;
        }
        var stream = await session.Events.FetchForWriting<Engagement>(engagementId, ct);
        var events = EngagementDecisions.Decline(stream.Aggregate!, declined.MatchId, declined.DeclinedBy, declined.MatchEnded, declined.Reason, clock.GetUtcNow());
        stream.AppendMany(events);
        DueTable.Sync(session, stream.Aggregate!.After(events), clock.GetUtcNow());
    }
}

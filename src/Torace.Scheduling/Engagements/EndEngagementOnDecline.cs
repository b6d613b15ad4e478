using Marten;
using Torace.Contracts.Matching;
using Torace.Platform.Messaging;
using Torace.Scheduling.Touchpoints;

namespace Torace.Scheduling.Engagements;

/// <summary>A declined (or withdrawn) match stops its engagement: the events, and its unclaimed due rows, in one transaction.</summary>
public sealed class EndEngagementOnDecline(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<MatchDeclined>(store)
{
    protected override async Task Handle(MatchDeclined declined, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var engagementId = await session.Query<Engagement>().Where(e => e.MatchId == declined.MatchId).Select(e => e.Id).FirstOrDefaultAsync(ct);
        if (engagementId == Guid.Empty)
        {
            return;
        }
        var stream = await session.Events.FetchForWriting<Engagement>(engagementId, ct);
        var events = EngagementDecisions.Decline(stream.Aggregate!, declined.DeclinedBy, declined.MatchEnded, declined.Reason, clock.GetUtcNow());
        stream.AppendMany(events);
        if (events.OfType<EngagementCancelled>().Any())
        {
            DueTable.DropUnclaimed(session, engagementId);
        }
    }
}

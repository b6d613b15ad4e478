using Hangfire;
using Marten;
using Torace.Contracts.Matching;
using Torace.Platform.Messaging;
using Torace.Scheduling.Touchpoints;

namespace Torace.Scheduling.Engagements;

/// <summary>A published match becomes an engagement, and its touchpoints go into the due table in the same transaction.</summary>
public sealed class ScheduleEngagement(IDocumentStore store, TimeProvider clock, IBackgroundJobClient jobs)
    : IdempotentConsumer<MatchProposed>(store)
{
    protected override Task Handle(MatchProposed match, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var scheduled = EngagementPlan.Schedule(match, Guid.CreateVersion7, clock.GetUtcNow());
        session.Events.StartStream<Engagement>(scheduled.EngagementId, scheduled);
        foreach (var touchpoint in scheduled.Touchpoints)
        {
            DueTable.Insert(session, scheduled.EngagementId, touchpoint);
        }
        return Task.CompletedTask;
    }

    /// <summary>Touchpoints already due (a session tomorrow, a pre-reflection due yesterday) go out now, not at the next minute.</summary>
    protected override Task AfterCommit(MatchProposed message, CancellationToken ct)
    {
        jobs.Enqueue<TouchpointSweeper>(sweeper => sweeper.Sweep(CancellationToken.None));
        return Task.CompletedTask;
    }
}

using Hangfire;
using Marten;
using Torace.Contracts.Matching;
using Torace.Platform.Messaging;
using Torace.Scheduling.Touchpoints;

namespace Torace.Scheduling.Engagements;

/// <summary>
/// A published match becomes an engagement, and its touchpoints go into the due table in the same transaction. A
/// decline or withdrawal that arrived first, or the program's cancellation, is applied at once, so nobody who has left
/// is ever reminded.
/// </summary>
public sealed class ScheduleEngagement(IDocumentStore store, TimeProvider clock, IBackgroundJobClient jobs)
    : IdempotentConsumer<MatchProposed>(store)
{
    protected override async Task Handle(MatchProposed match, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var sighting = await session.LoadAsync<MatchSighting>(match.MatchId, ct);
        if (sighting?.EngagementId is not null)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var scheduled = EngagementPlan.Schedule(match, Guid.CreateVersion7, now);
        var engagement = Engagement.Create(scheduled);
        var events = new List<object> { scheduled };
        foreach (var leave in sighting?.EarlyLeaves ?? [])
        {
            foreach (var e in EngagementDecisions.Decline(engagement, leave.EnrolmentId, leave.MatchEnded, leave.Reason, leave.At))
            {
                engagement = engagement.After(e);
                events.Add(e);
            }
        }
        if (await session.LoadAsync<CancelledProgram>(match.ProgramId, ct) is { } cancelled)
        {
            foreach (var e in EngagementDecisions.EndWithProgram(engagement, cancelled.Reason, cancelled.CancelledAt))
            {
                engagement = engagement.After(e);
                events.Add(e);
            }
        }
        session.Events.StartStream<Engagement>(scheduled.EngagementId, events);
        Sightings.Save(session, sighting, (sighting ?? MatchSighting.None(match.MatchId)) with { EngagementId = scheduled.EngagementId });
        DueTable.Sync(session, engagement, now);
    }

    /// <summary>Touchpoints already due (a session tomorrow, a pre-reflection due yesterday) go out now, not at the next minute.</summary>
    protected override Task AfterCommit(MatchProposed message, CancellationToken ct)
    {
        jobs.Enqueue<TouchpointSweeper>(sweeper => sweeper.Sweep(CancellationToken.None));
        return Task.CompletedTask;
    }
}

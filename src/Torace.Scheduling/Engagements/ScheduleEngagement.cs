using Hangfire;
using Marten;
using JasperFx.Events;
using Npgsql;
using Torace.Contracts.Matching;
using Torace.Platform.Messaging;
using Torace.Scheduling.Touchpoints;

namespace Torace.Scheduling.Engagements;

/// <summary>
/// A published match becomes an engagement, and its touchpoints go into the due table in the same transaction. A
/// decline or withdrawal that arrived first, or the program's cancellation, is applied at once, so nobody who has left
/// is ever reminded. The pairings of a speed-mentoring event all join the event's one engagement; they arrive at once
/// on parallel consumers, so each waits for the event's lock instead of colliding on its stream's version.
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
        var (stream, events) = match.InSpeedEvent
            ? await JoinEvent(match, session, now, ct)
            : (null, [EngagementPlan.Schedule(match, Guid.CreateVersion7, now)]);
        var engagement = stream?.Aggregate?.After(events) ?? Engagement.Create((EngagementScheduled)events[0]).After(events.Skip(1));

        void Decide(IReadOnlyList<object> decided)
        {
            events.AddRange(decided);
            engagement = engagement.After(decided);
        }
        foreach (var leave in sighting?.EarlyLeaves ?? [])
        {
            Decide(EngagementDecisions.Decline(engagement, match.MatchId, leave.EnrolmentId, leave.MatchEnded, leave.Reason, leave.At));
        }
        if (await session.LoadAsync<CancelledProgram>(match.ProgramId, ct) is { } cancelled)
        {
            Decide(EngagementDecisions.EndWithProgram(engagement, cancelled.Reason, cancelled.CancelledAt));
        }

        if (stream is null)
        {
            session.Events.StartStream<Engagement>(engagement.Id, events);
        }
        else
        {
            stream.AppendMany(events);
        }
        Sightings.Save(session, sighting, (sighting ?? MatchSighting.None(match.MatchId)) with { EngagementId = engagement.Id });
        DueTable.Sync(session, engagement, now);
    }

    /// <summary>
    /// Under a transaction-scoped lock on the event: its engagement, and the pairing joining it; or, for the first
    /// pairing to arrive, the event's start (no stream yet).
    /// </summary>
    static async Task<(IEventStream<Engagement>? Stream, List<object> Events)> JoinEvent(
        MatchProposed match, IDocumentSession session, DateTimeOffset now, CancellationToken ct)
    {
        var eventId = EngagementPlan.SpeedEventId(match);
        await session.BeginTransactionAsync(ct);
        await using (var wait = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", session.Connection))
        {
            wait.Parameters.AddWithValue($"speed-event:{eventId:N}");
            await wait.ExecuteNonQueryAsync(ct);
        }
        var stream = await session.Events.FetchForWriting<Engagement>(eventId, ct);
        return stream.Aggregate is { } current
            ? (stream, [.. EngagementPlan.Join(current, match, Guid.CreateVersion7, now)])
            : (null, [EngagementPlan.Schedule(match, Guid.CreateVersion7, now)]);
    }

    /// <summary>Touchpoints already due (a session tomorrow, a pre-reflection due yesterday) go out now, not at the next minute.</summary>
    protected override Task AfterCommit(MatchProposed message, CancellationToken ct)
    {
        jobs.Enqueue<TouchpointSweeper>(sweeper => sweeper.Sweep(CancellationToken.None));
        return Task.CompletedTask;
    }
}

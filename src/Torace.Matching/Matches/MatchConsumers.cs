using Marten;
using MassTransit;
using Torace.Contracts.Matching;
using Torace.Contracts.Programs;
using Torace.Matching.Candidates;
using Torace.Contracts.Scheduling;
using Torace.Matching.Runs;
using Torace.Matching.Waitlist;
using Torace.Platform.Messaging;

namespace Torace.Matching.Matches;

/// <summary>A decline or withdrawal freed a place and left someone waiting: place them (and the waitlist) again.</summary>
public sealed class RematchAfterDecline(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<MatchDeclined>(store)
{
    protected override Task Handle(MatchDeclined e, Guid messageId, IDocumentSession session, CancellationToken ct) =>
        Placement.PlaceWaiting(session, e.ProgramId, e.Withdrawn ? RunTriggers.Withdrawal : RunTriggers.Decline, clock.GetUtcNow(), ct);
}

/// <summary>The engagement ended: its mentees move from the mentor's current load to their past load.</summary>
public sealed class CompleteMatch(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<EngagementCompleted>(store)
{
    protected override async Task Handle(EngagementCompleted e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        if (e.MatchId == Guid.Empty)
        {
            return;
        }
        var stream = await session.Events.FetchForWriting<Match>(e.MatchId, ct);
        if (stream.Aggregate is { } match && MatchDecisions.Complete(match, clock.GetUtcNow()) is { } completed)
        {
            stream.AppendOne(completed);
        }
    }
}

/// <summary>
/// The program was cancelled: nobody more is placed in it, and its published matches end (Scheduling ends their
/// engagements from the same event). Through the ledger, so a placement running at the same time conflicts and sees it.
/// </summary>
public sealed class EndMatchesOfCancelledProgram(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<ProgramCancelled>(store)
{
    protected override async Task Handle(ProgramCancelled e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var ledger = await session.Events.FetchForWriting<ProgramLedger>(e.ProgramId, ct);
        ledger.AppendOne(new PoolChanged(e.ProgramId, null, PoolChanged.Cancelled, clock.GetUtcNow()));
        if (await session.LoadAsync<MatchingProgram>(e.ProgramId, ct) is { } program)
        {
            session.Store(program with { Cancelled = true });
        }
        var published = await session.Query<Match>().Where(m => m.ProgramId == e.ProgramId && m.Status == MatchStatus.Published).Select(m => m.Id).ToListAsync(ct);
        foreach (var matchId in published)
        {
            var stream = await session.Events.FetchForWriting<Match>(matchId, ct);
            if (stream.Aggregate is { } match && MatchDecisions.EndWithProgram(match, e.Reason, e.CancelledAt) is { } ended)
            {
                stream.AppendOne(ended);
            }
        }
    }
}

public static class MatchConsumers
{
    public static void Register(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RematchAfterDecline>();
        bus.AddConsumer<CompleteMatch>();
        bus.AddConsumer<EndMatchesOfCancelledProgram>();
        bus.AddConsumer<QueueMatchingRun>();
        bus.AddConsumer<SolveMatchingRun>();
    }
}

using Marten;
using MassTransit;
using Torace.Contracts.Matching;
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

public static class MatchConsumers
{
    public static void Register(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RematchAfterDecline>();
        bus.AddConsumer<CompleteMatch>();
        bus.AddConsumer<QueueMatchingRun>();
        bus.AddConsumer<SolveMatchingRun>();
    }
}

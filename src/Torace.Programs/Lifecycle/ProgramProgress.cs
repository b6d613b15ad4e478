using Marten;
using MassTransit;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.Platform.Messaging;

namespace Torace.Programs.Lifecycle;

/// <summary>One engagement of a program as far as the program's lifecycle needs it: whether it is still going.</summary>
public sealed record ProgramEngagement(Guid Id, Guid ProgramId, bool Finished);

/// <summary>The first published match moves the program to Running.</summary>
public sealed class StartOnFirstMatch(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<MatchProposed>(store)
{
    protected override async Task Handle(MatchProposed e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var program = await session.Events.FetchForWriting<ProgramState>(e.ProgramId, ct);
        if (program.Aggregate is { } state)
        {
            program.AppendMany(ProgramDecisions.Start(state, e.MatchId, clock.GetUtcNow()));
        }
    }
}

/// <summary>
/// Keeps track of the program's engagements and completes the program when the last one has completed or ended. The
/// check runs in the consumer's transaction and again once it has committed, so two last engagements finishing at once
/// (each seeing the other still going) still complete the program.
/// </summary>
public abstract class EngagementProgress<TEvent>(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<TEvent>(store)
    where TEvent : class, Torace.Contracts.IDistrictEvent
{
    readonly IDocumentStore store = store;

    protected abstract (Guid EngagementId, bool Finished) Seen(TEvent e);

    protected override async Task Handle(TEvent e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var (engagementId, finished) = Seen(e);
        var known = await session.LoadAsync<ProgramEngagement>(engagementId, ct);
        if (known is { Finished: true })
        {
            return; // it ended before the news of its start arrived
        }
        session.Store(new ProgramEngagement(engagementId, e.ProgramId, finished));
    }

    protected override async Task AfterCommit(TEvent e, CancellationToken ct)
    {
        if (!Seen(e).Finished)
        {
            return;
        }
        await using var session = store.LightweightSession(e.TenantId);
        var engagements = await session.Query<ProgramEngagement>().Where(x => x.ProgramId == e.ProgramId).CountAsync(ct);
        var stillGoing = await session.Query<ProgramEngagement>().Where(x => x.ProgramId == e.ProgramId && !x.Finished).CountAsync(ct);
        var program = await session.Events.FetchForWriting<ProgramState>(e.ProgramId, ct);
        if (program.Aggregate is { } state)
        {
            program.AppendMany(ProgramDecisions.Complete(state, engagements, stillGoing, clock.GetUtcNow()));
            await session.SaveChangesAsync(ct);
        }
    }
}

public sealed class EngagementStarted(IDocumentStore store, TimeProvider clock) : EngagementProgress<EngagementScheduled>(store, clock)
{
    protected override (Guid, bool) Seen(EngagementScheduled e) => (e.EngagementId, false);
}

public sealed class EngagementFinished(IDocumentStore store, TimeProvider clock) : EngagementProgress<EngagementCompleted>(store, clock)
{
    protected override (Guid, bool) Seen(EngagementCompleted e) => (e.EngagementId, true);
}

public sealed class EngagementStopped(IDocumentStore store, TimeProvider clock) : EngagementProgress<EngagementEnded>(store, clock)
{
    protected override (Guid, bool) Seen(EngagementEnded e) => (e.EngagementId, true);
}

public static class ProgramProgress
{
    public static void Register(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<StartOnFirstMatch>();
        bus.AddConsumer<EngagementStarted>();
        bus.AddConsumer<EngagementFinished>();
        bus.AddConsumer<EngagementStopped>();
    }
}

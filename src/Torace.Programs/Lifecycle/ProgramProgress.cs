using Marten;
using MassTransit;
using Torace.Contracts.Matching;
using Torace.Platform.Messaging;
using Torace.Programs.People;

namespace Torace.Programs.Lifecycle;

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

/// <summary>A running program whose engagements (the records People keeps) have all completed or ended is completed.</summary>
public static class ProgramCompletion
{
    /// <remarks>
    /// Runs after the consumer's commit, where a redelivery would find the message handled and not run it again, so a
    /// conflict on the program's stream (another writer first) is decided again here.
    /// </remarks>
    public static async Task Check(IDocumentStore store, string tenantId, Guid programId, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession(tenantId);
            var engagements = await session.Query<EngagementRecord>().Where(x => x.ProgramId == programId).ToListAsync(ct);
            var program = await session.Events.FetchForWriting<ProgramState>(programId, ct);
            if (program.Aggregate is not { } state)
            {
                return;
            }
            program.AppendMany(ProgramDecisions.Complete(state, engagements.Count, engagements.Count(x => !x.Finished), now));
            try
            {
                await session.SaveChangesAsync(ct);
                return;
            }
            catch (JasperFx.ConcurrencyException) when (attempt < 5)
            {
            }
        }
    }

    public static void Register(IBusRegistrationConfigurator bus) => bus.AddConsumer<StartOnFirstMatch>();
}

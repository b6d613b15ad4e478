using Marten;
using Torace.Contracts.Matching;
using Torace.Platform.Messaging;

namespace Torace.Programs.MatchingRequests;

/// <summary>Matching holds a run this service asked for.</summary>
public sealed record QueuedRun(Guid Id, Guid ProgramId, DateTimeOffset QueuedAt);

/// <summary>Notes that Matching holds the run, so the request that asked for it can answer with a Location that resolves.</summary>
public sealed class RecordRunQueued(IDocumentStore store) : IdempotentConsumer<MatchingRunQueued>(store)
{
    protected override Task Handle(MatchingRunQueued message, Guid messageId, IDocumentSession session, CancellationToken cancellationToken)
    {
        session.Store(new QueuedRun(message.RunId, message.ProgramId, message.QueuedAt));
        return Task.CompletedTask;
    }
}

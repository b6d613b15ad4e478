using Marten;
using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Notifications;
using Torace.Contracts.Scheduling;
using Torace.Platform.Messaging;

namespace Torace.Programs.History;

/// <summary>Records another service's event on the program's timeline.</summary>
public sealed class RecordInHistory<TEvent>(IDocumentStore store) : IdempotentConsumer<TEvent>(store)
    where TEvent : class, IDistrictEvent
{
    protected override Task Handle(TEvent message, Guid messageId, IDocumentSession session, CancellationToken cancellationToken)
    {
        session.Store(TimelineFacts.ForMessage(messageId, message));
        return Task.CompletedTask;
    }
}

public static class HistoryConsumers
{
    const string Queue = "programs-history";

    public static void Register(IBusRegistrationConfigurator bus)
    {
        Add<MatchProposed>(bus);
        Add<MatchDeclined>(bus);
        Add<EngagementScheduled>(bus);
        Add<TouchpointDue>(bus);
        Add<TouchpointSubmitted>(bus);
        Add<SessionCompleted>(bus);
        Add<EngagementCompleted>(bus);
        Add<EngagementEnded>(bus);
        Add<NotificationSent>(bus);
        Add<NotificationFailed>(bus);
    }

    static void Add<TEvent>(IBusRegistrationConfigurator bus) where TEvent : class, IDistrictEvent =>
        bus.AddConsumer<RecordInHistory<TEvent>>().Endpoint(e => e.Name = Queue);
}

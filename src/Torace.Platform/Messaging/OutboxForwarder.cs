using System.Diagnostics;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Torace.Platform.Storage;

namespace Torace.Platform.Messaging;

/// <summary>
/// Turns a service's stored domain event into the integration event other services consume, or null when
/// the event stays private to the service.
/// </summary>
public interface IIntegrationEventMap
{
    object? ToIntegrationEvent(IEvent stored);
}

/// <summary>
/// The outbox: a Marten subscription that publishes every stored event with an integration contract, in
/// stream order, with the broker message id equal to the Marten event id, and continues the trace of the
/// request that stored it. Marten advances the subscription only after a page is published, so a crash
/// republishes (at least once) and consumers' inboxes drop the repeat.
/// </summary>
public sealed class OutboxForwarder(IBus bus, IIntegrationEventMap map) : SubscriptionBase
{
    public const string SubscriptionName = "outbox";
    static readonly ActivitySource Source = new("Torace");

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        foreach (var stored in page.Events)
        {
            if (map.ToIntegrationEvent(stored) is not { } message)
            {
                continue;
            }

            ActivityContext.TryParse(stored.GetHeader(ToraceStore.TraceHeader) as string, null, out var parent);
            using var activity = Source.StartActivity($"outbox {message.GetType().Name}", ActivityKind.Producer, parent);
            await bus.Publish(message, message.GetType(), context => context.MessageId = stored.Id, cancellationToken);
        }

        return NullChangeListener.Instance;
    }
}

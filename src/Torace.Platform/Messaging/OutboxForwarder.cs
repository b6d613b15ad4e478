using System.Diagnostics;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
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
public sealed class OutboxForwarder(IBus bus, IIntegrationEventMap map, ILogger<OutboxForwarder> log) : SubscriptionBase
{
    public const string SubscriptionName = "outbox";

    /// <summary>Streams of one page published side by side.</summary>
    public const int StreamsInFlight = 64;

    static readonly ActivitySource Source = new("Torace");

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        await PublishInStreamOrder(page.Events, map, async (stored, message, ct) =>
        {
            ActivityContext.TryParse(stored.GetHeader(ToraceStore.TraceHeader) as string, null, out var parent);
            using var activity = Source.StartActivity($"outbox {message.GetType().Name}", ActivityKind.Producer, parent);
            await PublishUntilAccepted(message, stored.Id, ct);
        }, cancellationToken);

        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Publishes the events of a page that have an integration contract: each stream's one after the other, so stream
    /// order holds, and different streams side by side (at most <see cref="StreamsInFlight"/>), because a publish waits
    /// for the broker's confirm and one at a time capped the outbox at a few hundred messages a second (bench/README,
    /// the sweep). Ends when every one is published.
    /// </summary>
    public static Task PublishInStreamOrder(
        IEnumerable<IEvent> page, IIntegrationEventMap map, Func<IEvent, object, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        var streams = page
            .Select(stored => (Stored: stored, Message: map.ToIntegrationEvent(stored)))
            .Where(e => e.Message is not null)
            .GroupBy(e => (e.Stored.TenantId, e.Stored.StreamId, e.Stored.StreamKey));

        return Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = StreamsInFlight, CancellationToken = cancellationToken },
            async (stream, ct) =>
            {
                foreach (var (stored, message) in stream)
                {
                    await publish(stored, message!, ct);
                }
            });
    }

    /// <summary>
    /// The error policy of the outbox, on purpose: a broker that is down (for seconds or for hours) holds the
    /// subscription on this event, trying again at most 5 s apart, so it never skips an event and never pauses;
    /// it goes on from here when RabbitMQ answers again. Only a shutdown ends the wait, and the next start
    /// publishes the page again.
    /// </summary>
    async Task PublishUntilAccepted(object message, Guid messageId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            try
            {
                await bus.Publish(message, message.GetType(), context => context.MessageId = messageId, timeout.Token);
                if (attempt > 1)
                {
                    log.LogInformation("Outbox published {MessageType} {MessageId} after {Attempts} attempts", message.GetType().Name, messageId, attempt);
                }

                return;
            }
            catch (Exception fault) when (!cancellationToken.IsCancellationRequested)
            {
                // At most 5 s apart: a try costs one connection attempt, and the events waiting go out within seconds
                // of the broker's return (with 30 s, a run asked for just then could not reach Matching in time).
                var wait = TimeSpan.FromSeconds(Math.Min(5, Math.Pow(2, attempt - 1)));
                // Up to StreamsInFlight messages wait at once: say so on the first try and about once a minute after.
                if (attempt == 1 || attempt % 12 == 0)
                {
                    log.LogWarning(fault, "Outbox could not publish {MessageType} {MessageId} (attempt {Attempt}); trying again in {Wait}",
                        message.GetType().Name, messageId, attempt, wait);
                }
                await Task.Delay(wait, cancellationToken);
            }
        }
    }
}

using System.Collections.Concurrent;
using JasperFx.Events;
using Torace.Platform.Messaging;

namespace Torace.UnitTests.Platform;

/// <summary>The outbox publishes a page's streams side by side, and each stream's events in the order they were stored.</summary>
public sealed class OutboxOrderTests
{
    sealed record Noted(int Number);

    sealed record Private(int Number);

    sealed class NotedOnly : IIntegrationEventMap
    {
        public object? ToIntegrationEvent(IEvent stored) => stored.Data as Noted;
    }

    /// <summary>Twenty streams of ten events each, interleaved as a page of the event store would hold them.</summary>
    static List<IEvent> Page(Func<int, object> data)
    {
        var streams = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var page = new List<IEvent>();
        for (var version = 1; version <= 10; version++)
        {
            foreach (var stream in streams)
            {
                page.Add(new Event<object>(data(version)) { StreamId = stream, Version = version, TenantId = "demo-a", Sequence = page.Count + 1 });
            }
        }
        return page;
    }

    [Fact]
    public async Task Each_streams_events_go_out_in_stream_order_while_streams_go_out_side_by_side()
    {
        var heard = new ConcurrentDictionary<Guid, ConcurrentQueue<long>>();
        var inFlight = 0;
        var mostInFlight = 0;

        await OutboxForwarder.PublishInStreamOrder(Page(v => new Noted(v)), new NotedOnly(), async (stored, message, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref mostInFlight, now);
            // A later event of a stream that overtook an earlier one would show here: the earlier ones wait longer.
            await Task.Delay(TimeSpan.FromMilliseconds(11 - stored.Version), ct);
            heard.GetOrAdd(stored.StreamId, _ => new()).Enqueue(stored.Version);
            Interlocked.Decrement(ref inFlight);
        }, TestContext.Current.CancellationToken);

        Assert.Equal(20, heard.Count);
        Assert.All(heard.Values, versions => Assert.Equal(Enumerable.Range(1, 10).Select(v => (long)v), versions));
        Assert.True(mostInFlight > 1, "streams were published one at a time");
        Assert.True(mostInFlight <= OutboxForwarder.StreamsInFlight);
    }

    [Fact]
    public async Task An_event_without_an_integration_contract_is_not_published()
    {
        var published = new ConcurrentBag<object>();

        await OutboxForwarder.PublishInStreamOrder(Page(v => v % 2 == 0 ? new Noted(v) : new Private(v)), new NotedOnly(), (_, message, _) =>
        {
            published.Add(message);
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);

        Assert.Equal(100, published.Count);
        Assert.All(published, message => Assert.IsType<Noted>(message));
    }

    static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}

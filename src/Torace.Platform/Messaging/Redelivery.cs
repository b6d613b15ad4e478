using System.Text;
using MassTransit;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Torace.Platform.Messaging;

/// <summary>
/// How long a message whose fault a later try may fix waits before each redelivery: growing from seconds to two
/// minutes, 32 minutes in all, so a mail server or a database down for half an hour loses nothing, and what waited
/// goes out at most two minutes after it is back.
/// After the last wait it is dead-lettered with its exception, unless its consumer records the failure itself on the last
/// try (<see cref="IdempotentConsumer{TMessage}.IsLastTry"/>: Notifications marks the email failed and says so).
/// </summary>
public static class RedeliverySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Waits =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromMinutes(1),
        .. Enumerable.Repeat(TimeSpan.FromMinutes(2), 15),
    ];

    /// <summary>How long a message is redelivered for, all waits together.</summary>
    public static TimeSpan Total => Waits.Aggregate(TimeSpan.Zero, (total, wait) => total + wait);

    /// <summary>Whether a message redelivered <paramref name="redeliveries"/> times is on its last try: a transient fault now is final.</summary>
    public static bool IsLastTry(int redeliveries) => WaitBefore(redeliveries + 1) is null;

    /// <summary>The wait before redelivery number <paramref name="redelivery"/> (1-based), or null once they are used up.</summary>
    public static TimeSpan? WaitBefore(int redelivery) => redelivery >= 1 && redelivery <= Waits.Count ? Waits[redelivery - 1] : null;
}

/// <summary>
/// Outside the immediate retries: a message that still fails with a transient fault is parked in a wait queue
/// and acknowledged, so it holds no consumer slot and survives a restart of the service; the broker brings it
/// back to the consumer's queue when the wait is over (see <see cref="WaitQueues"/>). A fault no retry fixes, or
/// one that outlasts the schedule, goes on to MassTransit's error queue.
/// </summary>
public sealed class Redelivery<T>(WaitQueues waits, TransientFaults faults, ILogger<Redelivery<T>> log) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var redelivery = WaitQueues.RedeliveriesOf(context.ReceiveContext) + 1;
        try
        {
            await next.Send(context);
        }
        catch (Exception fault) when (!context.CancellationToken.IsCancellationRequested && faults.IsTransient(fault)
            && RedeliverySchedule.WaitBefore(redelivery) is { } wait)
        {
            await waits.Park(context.ReceiveContext, redelivery, wait, context.CancellationToken);
            log.LogWarning(fault, "{MessageType} {MessageId} failed with a transient fault; redelivery {Redelivery} of {Redeliveries} in {Wait}",
                typeof(T).Name, context.MessageId, redelivery, RedeliverySchedule.Waits.Count, wait);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("torace-redelivery");
}

/// <summary>
/// One durable queue per wait, behind a fanout exchange of the same name, with that wait as its message TTL and
/// the default exchange as its dead-letter exchange: a message parked there with the consumer's queue as
/// routing key is dead-lettered back into that queue when its time is up. The broker holds the waiting messages, so they survive any restart of the
/// service; RabbitMQ needs no plugin for it.
/// </summary>
public sealed class WaitQueues(Uri broker, string service) : IAsyncDisposable
{
    public const string RedeliveryHeader = "torace-redelivery";
    readonly SemaphoreSlim gate = new(1, 1);
    readonly HashSet<string> declared = [];
    IConnection? connection;
    IChannel? channel;

    public static string QueueOf(TimeSpan wait) => $"torace-wait-{(int)wait.TotalSeconds}s";

    public static int RedeliveriesOf(ReceiveContext context) =>
        context.TransportHeaders.TryGetHeader(RedeliveryHeader, out var value) ? value switch
        {
            int count => count,
            long count => (int)count,
            byte[] text when int.TryParse(Encoding.UTF8.GetString(text), out var count) => count,
            string text when int.TryParse(text, out var count) => count,
            _ => 0,
        } : 0;

    /// <param name="mark">A header the message carries when it comes back (what the consumer parked it for).</param>
    public async Task Park(ReceiveContext received, int redelivery, TimeSpan wait, CancellationToken ct, (string Header, string Value)? mark = null)
    {
        var delivered = received.GetPayload<RabbitMqBasicConsumeContext>();
        var queue = received.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
        var headers = (delivered.Properties.Headers ?? new Dictionary<string, object?>())
            .Where(h => !h.Key.StartsWith("x-", StringComparison.Ordinal)) // the broker's death records stay with the broker
            .ToDictionary(h => h.Key, h => h.Value);
        headers[RedeliveryHeader] = redelivery;
        if (mark is { } marked)
        {
            headers[marked.Header] = marked.Value;
        }
        var properties = new BasicProperties(delivered.Properties) { Headers = headers, Persistent = true };
        var body = received.Body.GetBytes();

        await gate.WaitAsync(ct);
        try
        {
            var open = await Channel(ct);
            var waitQueue = QueueOf(wait);
            if (declared.Add(waitQueue))
            {
                await open.ExchangeDeclareAsync(waitQueue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
                await open.QueueDeclareAsync(waitQueue, durable: true, exclusive: false, autoDelete: false,
                    arguments: new Dictionary<string, object?> { ["x-message-ttl"] = (long)wait.TotalMilliseconds, ["x-dead-letter-exchange"] = "" },
                    cancellationToken: ct);
                await open.QueueBindAsync(waitQueue, waitQueue, "", cancellationToken: ct);
            }

            // The fanout exchange ignores the routing key; the message keeps it, and the default exchange uses it
            // to dead-letter the message back into the consumer's queue.
            await open.BasicPublishAsync(waitQueue, queue, mandatory: true, properties, body, ct);
        }
        catch
        {
            await Close();
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<IChannel> Channel(CancellationToken ct)
    {
        if (channel is { IsOpen: true })
        {
            return channel;
        }

        await Close();
        var factory = BrokerConnections.Factory(broker, service + "-redelivery");
        connection = await factory.CreateConnectionAsync(ct);
        channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        return channel;
    }

    async Task Close()
    {
        declared.Clear();
        if (channel is not null)
        {
            await channel.DisposeAsync();
            channel = null;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    public async ValueTask DisposeAsync() => await Close();
}

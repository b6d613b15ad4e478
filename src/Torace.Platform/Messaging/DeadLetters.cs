using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Torace.Platform.Messaging;

/// <summary>
/// Counts the messages in each of the service's error queues (<c>{queue}_error</c>, where MassTransit moves a
/// message no retry fixed) every 15 seconds, for the <c>torace.messaging.dead_letters</c> gauge and the
/// <c>dead-letters</c> entry of <c>/health</c>. README's operations section says how to replay them.
/// </summary>
public sealed class DeadLetters(IConfiguration configuration, ILogger<DeadLetters> log) : BackgroundService, IReceiveEndpointObserver
{
    static readonly Meter Meter = new("Torace");
    readonly ConcurrentDictionary<string, long> counts = new();

    public IReadOnlyDictionary<string, long> Counts => counts;

    IEnumerable<Measurement<long>> Snapshot() =>
        counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("queue", c.Key)));

    public Task Ready(ReceiveEndpointReady ready)
    {
        var queue = ready.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
        if (!queue.Contains("_bus_", StringComparison.Ordinal) && !queue.EndsWith("_error", StringComparison.Ordinal))
        {
            counts.TryAdd(queue + "_error", 0);
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;
    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;
    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Meter.CreateObservableGauge("torace.messaging.dead_letters", Snapshot, "{message}", "Messages in the service's error queues, by queue.");
        var broker = new Uri(configuration.GetConnectionString("rabbitmq")!);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
        do
        {
            try
            {
                await Count(broker, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogDebug(e, "Could not count the dead-lettered messages; the broker may be down");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    async Task Count(Uri broker, CancellationToken ct)
    {
        await using var connection = await BrokerConnections.Factory(broker, "dead-letter-count").CreateConnectionAsync(ct);
        foreach (var queue in counts.Keys)
        {
            // A passive declare of a queue that does not exist (nothing was ever dead-lettered) closes the channel.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                counts[queue] = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
            }
            catch (OperationInterruptedException)
            {
                counts[queue] = 0;
            }
        }
    }
}

/// <summary><c>/health</c> is Degraded while any of the service's error queues holds a message, naming each.</summary>
public sealed class DeadLetterCheck(DeadLetters deadLetters) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var waiting = deadLetters.Counts.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => (object)c.Value);
        return Task.FromResult(waiting.Count == 0
            ? HealthCheckResult.Healthy("No dead-lettered messages.")
            : HealthCheckResult.Degraded($"{waiting.Values.Sum(v => (long)v)} dead-lettered message(s); see README, Operations, to replay them.", data: waiting));
    }
}

using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Torace.GatewayBench;
using Torace.Notifications;
using Torace.Notifications.Webhooks;

namespace Torace.WebhookBench;

/// <summary>How much one round sends: endpoints (over districts), the backlog queued at once, and the steady feed after it.</summary>
public sealed record WebhookSizes(string Name, int Districts, int EndpointsPerDistrict, int Backlog, int SteadyPerSecond, TimeSpan Steady)
{
    public static readonly WebhookSizes Full = new("full", 50, 20, 20_000, 200, TimeSpan.FromSeconds(30));
    public static readonly WebhookSizes Smoke = new("smoke", 2, 5, 500, 50, TimeSpan.FromSeconds(5));

    public int Endpoints => Districts * EndpointsPerDistrict;
}

/// <summary>
/// One round's figures. The backlog: deliveries to healthy receivers per second, from the moment it was queued to the last
/// arrival. The steady feed: each healthy delivery's delay from being queued to arriving (nearest-rank percentiles).
/// </summary>
public sealed record RoundResult(string Name, int Endpoints, int Failing, int Backlog, int BacklogHealthy, int BacklogArrived, TimeSpan Drain,
    int Steady, int SteadyHealthy, IReadOnlyList<double> Delays, int Requests, CpuUse Cpu)
{
    public double PerSecond => BacklogArrived / Drain.TotalSeconds;

    public double Percentile(double p) => Delays.Count == 0 ? double.NaN : Delays[Math.Clamp((int)Math.Ceiling(p * Delays.Count) - 1, 0, Delays.Count - 1)];
}

/// <summary>
/// The rounds: endpoints registered through the service's own stream events, deliveries queued straight into its
/// webhook table (as the fan-out consumer queues them, one row per event and endpoint, each its own resource), and the
/// service's dispatcher sending them to the receivers.
/// </summary>
public sealed class DeliveryRounds(NotificationsHost host, Receivers receivers, Action<string> progress)
{
    const string Table = $"{NotificationsService.Name}.{WebhookQueue.DeliveriesTable}";

    int nextNumber;

    public async Task<RoundResult> Run(string name, WebhookSizes sizes, int failing, CancellationToken ct)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var dispatcher = host.Services.GetRequiredService<WebhookDispatcher>();
        await using var database = NpgsqlDataSource.Create(host.DatabaseConnectionString);

        var round = Guid.NewGuid().ToString("N")[..6];
        var endpoints = new List<(string District, Guid Id, int Number)>();
        for (var d = 0; d < sizes.Districts; d++)
        {
            var district = $"bench-{round}-{d}";
            await using var session = store.LightweightSession(district);
            for (var e = 0; e < sizes.EndpointsPerDistrict; e++)
            {
                // Each endpoint's own receiver address, never shared (a random number could give two endpoints one address).
                var number = Interlocked.Increment(ref nextNumber);
                var id = Guid.CreateVersion7();
                session.Events.StartStream<WebhookEndpoint>(id, new WebhookRegistered(id, new Uri(receivers.Address, number.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString(),
                    [WebhookCatalogue.MatchPublished], WebhookSignature.NewSecret(), "bench", DateTimeOffset.UtcNow));
                endpoints.Add((district, id, number));
            }
            await session.SaveChangesAsync(ct);
        }
        // The failing ones are spread over the districts (every n-th endpoint), each beside its district's healthy ones.
        var dead = endpoints.Where((_, i) => failing > 0 && i % (endpoints.Count / failing) == 0).Take(failing).Select(e => e.Number).ToHashSet();
        receivers.Fail(dead);
        bool Healthy((string District, Guid Id, int Number) endpoint) => !dead.Contains(endpoint.Number);

        progress($"{name}: {endpoints.Count} endpoints in {sizes.Districts} districts, {failing} failing; queueing a backlog of {sizes.Backlog:N0}");
        var requestsBefore = receivers.Requests;
        var before = MachineLoad.Read();
        var backlog = Enumerable.Range(0, sizes.Backlog).Select(i => (Id: Guid.NewGuid(), Endpoint: endpoints[i % endpoints.Count])).ToList();
        var queuedAt = DateTimeOffset.UtcNow;
        foreach (var chunk in backlog.Chunk(2_000))
        {
            await Queue(database, chunk, DateTimeOffset.UtcNow, ct);
        }
        dispatcher.Wake();
        var healthyBacklog = backlog.Where(b => Healthy(b.Endpoint)).ToList();
        var (arrived, last) = await Arrivals(healthyBacklog.Select(b => b.Id).ToList(), TimeSpan.FromMinutes(5), ct);
        var drain = last - queuedAt;
        progress($"  {arrived:N0} of {healthyBacklog.Count:N0} healthy deliveries arrived in {drain.TotalSeconds:0.0} s ({arrived / drain.TotalSeconds:N0}/s)");

        progress($"  steady feed: {sizes.SteadyPerSecond}/s for {sizes.Steady.TotalSeconds:0} s");
        var steady = new List<(Guid Id, (string District, Guid Id, int Number) Endpoint, DateTimeOffset QueuedAt)>();
        var clock = Stopwatch.StartNew();
        var tick = TimeSpan.FromMilliseconds(100);
        var perTick = Math.Max(1, sizes.SteadyPerSecond / 10);
        var next = 0;
        while (clock.Elapsed < sizes.Steady)
        {
            var batch = Enumerable.Range(0, perTick).Select(_ => (Id: Guid.NewGuid(), Endpoint: endpoints[next++ % endpoints.Count])).ToList();
            var at = DateTimeOffset.UtcNow;
            await Queue(database, batch, at, ct);
            dispatcher.Wake();
            steady.AddRange(batch.Select(b => (b.Id, b.Endpoint, at)));
            var wait = tick * (steady.Count / perTick) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }
        }
        var healthySteady = steady.Where(s => Healthy(s.Endpoint)).ToList();
        await Arrivals(healthySteady.Select(s => s.Id).ToList(), TimeSpan.FromMinutes(2), ct);
        var after = MachineLoad.Read();
        var delays = healthySteady.Select(s => receivers.TryArrival(s.Id, out var at) ? (at - s.QueuedAt).TotalSeconds : double.NaN)
            .Where(d => !double.IsNaN(d)).Order().ToList();
        var result = new RoundResult(name, endpoints.Count, failing, backlog.Count, healthyBacklog.Count, arrived, drain, steady.Count, healthySteady.Count,
            delays, receivers.Requests - requestsBefore, CpuUse.Between(before, after));
        progress($"  healthy delay p50 {result.Percentile(0.5):0.000} s, p99 {result.Percentile(0.99):0.000} s ({delays.Count:N0} of {healthySteady.Count:N0} arrived)");

        // The round's endpoints go, so the next round's dispatcher is not busy with this one's failing receiver.
        await using var cleanup = database.CreateCommand($"update {Table} set status = 'cancelled' where status in ('pending', 'paused')");
        await cleanup.ExecuteNonQueryAsync(ct);
        return result;
    }

    static async Task Queue(NpgsqlDataSource database, IReadOnlyList<(Guid Id, (string District, Guid Id, int Number) Endpoint)> deliveries, DateTimeOffset now, CancellationToken ct)
    {
        await using var insert = database.CreateCommand(
            $"""
            insert into {Table} (id, tenant_id, endpoint_id, event_type, resource_id, occurred_at, created_at, payload, status, attempts, next_attempt_at, retry_until)
            select d.id, d.tenant_id, d.endpoint_id, '{WebhookCatalogue.MatchPublished}', d.id, $1, $1, $2, 'pending', 0, $1, $3
            from unnest($4::uuid[], $5::text[], $6::uuid[]) as d(id, tenant_id, endpoint_id)
            """);
        insert.Parameters.AddWithValue(now.ToUniversalTime());
        insert.Parameters.AddWithValue("""{"type":"match.published","version":1,"timestamp":"2026-12-07T08:00:00+00:00","data":{"programId":"5d3f7b0e-0000-0000-0000-000000000001","matchId":"5d3f7b0e-0000-0000-0000-000000000002","mentorId":"5d3f7b0e-0000-0000-0000-000000000003","menteeIds":["5d3f7b0e-0000-0000-0000-000000000004"],"round":1,"rounds":1,"publishedAt":"2026-12-07T08:00:00+00:00"}}""");
        insert.Parameters.AddWithValue(now.AddHours(24).ToUniversalTime());
        insert.Parameters.AddWithValue(deliveries.Select(d => d.Id).ToArray());
        insert.Parameters.AddWithValue(deliveries.Select(d => d.Endpoint.District).ToArray());
        insert.Parameters.AddWithValue(deliveries.Select(d => d.Endpoint.Id).ToArray());
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Waits until every one of these deliveries arrived (or the time is up); answers how many did and when the last came.</summary>
    async Task<(int Arrived, DateTimeOffset Last)> Arrivals(IReadOnlyList<Guid> ids, TimeSpan atMost, CancellationToken ct)
    {
        var until = DateTimeOffset.UtcNow + atMost;
        while (true)
        {
            var times = ids.Select(id => receivers.TryArrival(id, out var at) ? at : (DateTimeOffset?)null).ToList();
            var arrived = times.Count(t => t is not null);
            if (arrived == ids.Count || DateTimeOffset.UtcNow > until)
            {
                return (arrived, times.Max() ?? DateTimeOffset.UtcNow);
            }
            await Task.Delay(100, ct);
        }
    }
}

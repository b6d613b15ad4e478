using System.Collections.Concurrent;
using System.Diagnostics;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.IntegrationTests.Fixture;
using Torace.Scheduling;
using Torace.Scheduling.Engagements;
using Torace.Scheduling.Touchpoints;

namespace Torace.IntegrationTests.Services;

/// <summary>
/// Two Scheduling instances on one database and broker, each sweeping every 15 s from the due moment on (as its Hangfire
/// recurring job does when deployed; the test drives the sweeps itself: inside the test host Hangfire's workers fetched
/// the recurring jobs and never finished one, not yet understood), and 20,000 reminders due in the same minute: each is published exactly once, none later than 60 s, although the
/// sweeps' database connections are killed mid-batch (what PostgreSQL sees when a sweeping process dies: its transaction
/// and every claim in it roll back, and the next sweep takes the rows).
/// </summary>
public sealed class SweepAtScaleTests(ToraceSystem system, ITestOutputHelper output) : IAsyncLifetime
{
    const int Engagements = 10_000; // a mentor and a mentee each: 20,000 reminders
    readonly IsolatedService<TouchpointSweeper> first = new(system, "scheduling");
    IsolatedService<TouchpointSweeper>? second;

    public async ValueTask InitializeAsync()
    {
        await first.Prepare(TestContext.Current.CancellationToken);
        second = new IsolatedService<TouchpointSweeper>(system, "scheduling", sameStoreAs: first);
    }

    public async ValueTask DisposeAsync()
    {
        if (second is not null)
        {
            await second.DisposeAsync();
        }
        await first.DisposeAsync();
    }

    [Fact]
    public async Task Twenty_thousand_reminders_due_in_one_minute_are_each_published_once_within_60_s_by_two_instances()
    {
        var ct = TestContext.Current.CancellationToken;
        var heard = new ConcurrentDictionary<Guid, (int Times, DateTimeOffset FirstAt, DateTimeOffset DueAt)>();
        var bus = await first.Listen(e =>
        {
            e.PrefetchCount = 200;
            e.Handler<TouchpointDue>(context =>
            {
                var now = DateTimeOffset.UtcNow;
                heard.AddOrUpdate(context.Message.TouchpointId, (1, now, context.Message.DueAt), (_, seen) => (seen.Times + 1, seen.FirstAt, seen.DueAt));
                return Task.CompletedTask;
            });
        }, ct);
        var store = first.Services.GetRequiredService<IDocumentStore>();
        _ = second!.Services; // the second instance, with its own Hangfire server and outbox daemon

        // Every reminder is due at the same moment, far enough ahead for the engagements to be written first.
        var setup = Stopwatch.StartNew();
        var due = DateTimeOffset.UtcNow.AddSeconds(150);
        var rows = new List<(Guid Alarm, Guid Engagement, DateTimeOffset At, string Kind)>();
        for (var chunk = 0; chunk < Engagements / 1000; chunk++)
        {
            await using var session = store.LightweightSession("demo-a");
            for (var i = 0; i < 1000; i++)
            {
                var match = new MatchProposed("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Peak",
                    new Participant(Guid.NewGuid(), "M", "m@a.org", "A", "America/Chicago"), [new Participant(Guid.NewGuid(), "E", "e@a.org", "B", "America/New_York")],
                    [new SessionPlan(1, "virtual", due.AddHours(24))], false, false, [], new MatchMessage("x", null), 1, [], due,
                    EngagementRules.Default with { QuietHours = false });
                var scheduled = EngagementPlan.Schedule(match, Guid.NewGuid, DateTimeOffset.UtcNow);
                session.Events.StartStream<Engagement>(scheduled.EngagementId, scheduled);
                rows.AddRange(EngagementAlarms.Of(Engagement.Create(scheduled), DateTimeOffset.UtcNow).Select(a => (a.Id, scheduled.EngagementId, a.At, a.Kind)));
            }
            await session.SaveChangesAsync(ct);
        }
        await InsertRows(first.Services.GetRequiredService<NpgsqlDataSource>(), rows, ct);
        output.WriteLine($"{Engagements} engagements and {rows.Count} due rows written in {setup.Elapsed.TotalSeconds:F0} s");
        var reminders = rows.Count(r => r.Kind == AlarmKinds.Due);
        Assert.Equal(2 * Engagements, reminders);
        Assert.True(DateTimeOffset.UtcNow < due, $"Setup took {setup.Elapsed}: past the due time, so the test proves nothing about lateness.");

        using var sweeping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sweeps = new[] { first, second }.Select(instance => SweepEvery15Seconds(instance.Services.GetRequiredService<TouchpointSweeper>(), due, sweeping.Token)).ToList();
        var database = first.Services.GetRequiredService<NpgsqlDataSource>();
        var killed = 0;
        await Eventually.Until(_ => Task.FromResult(heard.Count), n => n >= reminders / 10, "the first reminders on the broker", seconds: 150 + 60);
        for (var tries = 0; killed == 0 && tries < 500; tries++)
        {
            killed = await KillSweepsMidBatch(database, ct);
        }
        output.WriteLine($"killed {killed} sweep(s) mid-batch with {heard.Count} reminders heard");
        Assert.True(killed > 0, "No sweep was caught mid-batch, so the test did not prove that a dying sweep loses and repeats nothing.");

        await Eventually.Until(_ => Task.FromResult(heard.Count), n => n >= reminders, "every reminder on the broker", seconds: 150 + 120);
        await Task.Delay(TimeSpan.FromSeconds(5), ct); // room for a duplicate to show up

        await sweeping.CancelAsync();
        await Task.WhenAll(sweeps);

        Assert.Equal(reminders, heard.Count);
        Assert.All(heard.Values, h => Assert.Equal(1, h.Times));
        var lateness = heard.Values.Select(h => (h.FirstAt - h.DueAt).TotalSeconds).Order().ToList();
        output.WriteLine($"lateness p50 {lateness[lateness.Count / 2]:F1} s, p99 {lateness[(int)(lateness.Count * 0.99)]:F1} s, max {lateness[^1]:F1} s");
        Assert.True(lateness[^1] <= 60, $"The latest reminder went out {lateness[^1]:F1} s after its time.");
        await using var query = store.QuerySession("demo-a");
        Assert.Equal(reminders, await query.Events.QueryRawEventDataOnly<TouchpointBecameDue>().CountAsync(ct));
        await bus.StopAsync(ct);
    }

    /// <summary>
    /// From the due moment on, a sweep every 15 s, as the recurring job runs them; a sweep whose connection is killed
    /// fails, as Hangfire's job would, and the next one goes on.
    /// </summary>
    static async Task SweepEvery15Seconds(TouchpointSweeper sweeper, DateTimeOffset from, CancellationToken ct)
    {
        try
        {
            await Task.Delay(from - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, ct);
            using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(15));
            do
            {
                try
                {
                    await sweeper.Sweep(ct);
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    // The connection killed mid-batch (Npgsql or Marten says so in several ways): the batch rolled back,
                    // and the next sweep takes its rows.
                }
            }
            while (await ticks.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Terminates every connection holding a claim on due rows right now (a sweep's open batch); answers how many.</summary>
    static async Task<int> KillSweepsMidBatch(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var kill = new NpgsqlCommand($"""
            select count(*) filter (where pg_terminate_backend(pid)) from (
                select distinct l.pid from pg_locks l
                join pg_class c on c.oid = l.relation join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = '{SchedulingService.Name}' and c.relname = '{DueTable.TableName}' and l.mode in ('RowShareLock', 'RowExclusiveLock') and l.pid <> pg_backend_pid()) sweeps
            """, connection);
        return Convert.ToInt32(await kill.ExecuteScalarAsync(ct));
    }

    /// <summary>The rows the engagements' alarms need, in one statement (the service writes them with each engagement).</summary>
    static async Task InsertRows(NpgsqlDataSource database, List<(Guid Alarm, Guid Engagement, DateTimeOffset At, string Kind)> rows, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var insert = new NpgsqlCommand($"""
            insert into {SchedulingService.Name}.{DueTable.TableName} (alarm_id, tenant_id, engagement_id, kind, due_at)
            select a.id, 'demo-a', a.engagement, a.kind, a.due_at from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) as a(id, engagement, kind, due_at)
            """, connection);
        insert.Parameters.AddWithValue(rows.Select(r => r.Alarm).ToArray());
        insert.Parameters.AddWithValue(rows.Select(r => r.Engagement).ToArray());
        insert.Parameters.AddWithValue(rows.Select(r => r.Kind).ToArray());
        insert.Parameters.AddWithValue(rows.Select(r => r.At.UtcDateTime).ToArray());
        await insert.ExecuteNonQueryAsync(ct);
    }
}

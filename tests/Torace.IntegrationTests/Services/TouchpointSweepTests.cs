using System.Collections.Concurrent;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.IntegrationTests.Fixture;
using Torace.Scheduling.Engagements;
using Torace.Scheduling.Touchpoints;

namespace Torace.IntegrationTests.Services;

/// <summary>Scheduling alone, on its own database and virtual host.</summary>
public sealed class TouchpointSweepTests(ToraceSystem system) : IAsyncLifetime
{
    readonly IsolatedService<TouchpointSweeper> scheduling = new(system, "scheduling");

    public async ValueTask InitializeAsync() => await scheduling.Prepare(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await scheduling.DisposeAsync();

    [Fact]
    public async Task Two_sweepers_at_once_publish_each_due_touchpoint_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var heard = new ConcurrentDictionary<Guid, int>();
        var bus = await scheduling.Listen(e => e.Handler<TouchpointDue>(context =>
        {
            heard.AddOrUpdate(context.Message.TouchpointId, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }), ct);
        _ = scheduling.Services; // starts the service
        var store = scheduling.Services.GetRequiredService<IDocumentStore>();
        var sweeper = scheduling.Services.GetRequiredService<TouchpointSweeper>();

        // 150 engagements whose session starts tomorrow: both pre-reflections and reminders are due now.
        var now = DateTimeOffset.UtcNow;
        var expected = 0;
        await using (var session = store.LightweightSession("demo-a"))
        {
            for (var i = 0; i < 150; i++)
            {
                var match = new MatchProposed("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Sweep",
                    new Participant(Guid.NewGuid(), "M", "m@a.org", "A", "UTC"), [new Participant(Guid.NewGuid(), "E", "e@a.org", "B", "UTC")],
                    [new SessionPlan(1, "virtual", now.AddDays(1))], true, false, [], new MatchMessage("x", null), 1, [], now,
                    EngagementRules.Default with { QuietHours = false });
                var scheduled = EngagementPlan.Schedule(match, Guid.NewGuid, now.AddMinutes(-1));
                var engagement = Engagement.Create(scheduled);
                session.Events.StartStream<Engagement>(scheduled.EngagementId, scheduled);
                DueTable.Sync(session, engagement, now);
                expected += EngagementAlarms.Of(engagement, now).Count(a => a.Kind == AlarmKinds.Due && a.At <= now);
            }
            await session.SaveChangesAsync(ct);
        }
        Assert.Equal(150 * 4, expected);

        var swept = await Task.WhenAll(sweeper.Sweep(ct), sweeper.Sweep(ct));

        await using var query = store.QuerySession("demo-a");
        var markedDue = await query.Events.QueryRawEventDataOnly<TouchpointBecameDue>().CountAsync(ct);
        Assert.Equal(expected, markedDue);
        Assert.True(swept.Sum() <= expected, $"Sweepers claimed {swept.Sum()} of {expected} rows.");
        await Eventually.Until(_ => Task.FromResult(heard.Count), n => n == expected, "every TouchpointDue on the broker");
        Assert.All(heard.Values, n => Assert.Equal(1, n));
        await bus.StopAsync(ct);
    }
}

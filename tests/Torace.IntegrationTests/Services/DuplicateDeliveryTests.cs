using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Services;

/// <summary>A redelivered message (same message id) changes nothing and sends no second email.</summary>
public sealed class DuplicateDeliveryTests(ToraceSystem system)
{
    [Fact]
    public async Task The_same_MatchProposed_delivered_twice_emails_each_person_once_and_schedules_one_engagement()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..8];
        var programId = Guid.NewGuid();
        var match = new MatchProposed("demo-a", programId, Guid.NewGuid(), Guid.NewGuid(), $"Duplicate check {run}",
            new Participant(Guid.NewGuid(), "Ana", $"ana.{run}@a.example.org", "Lincoln", "UTC"),
            [new Participant(Guid.NewGuid(), "Ben", $"ben.{run}@a.example.org", "Roosevelt", "UTC")],
            [new SessionPlan(1, "virtual", DateTimeOffset.UtcNow.AddDays(20))], false, false, [],
            new MatchMessage("Hello twice?", null), 1, [], DateTimeOffset.UtcNow);
        var messageId = NewId.NextGuid();

        var broker = new Uri(system.RabbitMq);
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(broker.Host, (ushort)broker.Port, "/", h =>
        {
            h.Username("guest");
            h.Password("guest");
        }));
        await bus.StartAsync(ct);
        try
        {
            await bus.Publish(match, c => c.MessageId = messageId, ct);
            await bus.Publish(match, c => c.MessageId = messageId, ct);
        }
        finally
        {
            await bus.StopAsync(ct);
        }

        var api = new DistrictApi(system.District("demo-a"));
        var log = await Eventually.Until(
            token => api.Get($"/api/v1/programs/{programId}/notifications", token),
            d => d.GetArrayLength() >= 2, "the two match emails");
        var engagements = await Eventually.Until(
            token => api.Get($"/api/v1/programs/{programId}/engagements", token),
            e => e.GetArrayLength() >= 1, "the engagement");

        // Give a second delivery every chance to do damage before counting.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var emails = (await system.Emails(ct)).Where(e => e.Subject.Contains(run, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, emails.Count);
        Assert.Equal(2, (await api.Get($"/api/v1/programs/{programId}/notifications", ct)).GetArrayLength());
        Assert.Equal(1, (await api.Get($"/api/v1/programs/{programId}/engagements", ct)).GetArrayLength());
        Assert.Equal(2, log.GetArrayLength());
        Assert.Equal(1, engagements.GetArrayLength());
    }
}

using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Services;

/// <summary>A redelivered message (same message id) changes nothing and sends no second email; a message that overtakes another is not lost.</summary>
public sealed class DuplicateDeliveryTests(ToraceSystem system)
{
    [Fact]
    public async Task The_same_MatchProposed_delivered_twice_emails_each_person_once_and_schedules_one_engagement()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..8];
        var api = new DistrictApi(system.District("demo-a"));
        // A program of the district, so the gateway lets the lists through; the match itself arrives straight on the broker.
        var programId = await api.CreateProgram(DistrictApi.ProgramBody($"Broker only {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(3)), ct);
        var match = new MatchProposed("demo-a", programId, Guid.NewGuid(), Guid.NewGuid(), $"Duplicate check {run}",
            new Participant(Guid.NewGuid(), "Ana", $"ana.{run}@a.example.org", "Lincoln", "UTC"),
            [new Participant(Guid.NewGuid(), "Ben", $"ben.{run}@a.example.org", "Roosevelt", "UTC")],
            [new SessionPlan(1, "virtual", DateTimeOffset.UtcNow.AddDays(20))], false, false, [],
            new MatchMessage("Hello twice?", null), 1, [], DateTimeOffset.UtcNow);
        var messageId = NewId.NextGuid();

        await system.Publish(ct, (match, messageId), (match, messageId));

        var log = await Eventually.Until(
            async token => (await api.Items($"/api/v1/programs/{programId}/notifications", token)).EnumerateArray().Count(n => n.GetProperty("kind").GetString() == "match"),
            n => n >= 2, "the two match emails");
        var engagements = await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/engagements", token),
            e => e.GetArrayLength() >= 1, "the engagement");

        // Give a second delivery every chance to do damage before counting.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var emails = (await system.Emails(ct)).Where(e => e.Subject.Contains(run, StringComparison.Ordinal) && ToraceSystem.IsMatchEmail(e.Subject)).ToList();
        Assert.Equal(2, emails.Count);
        Assert.Equal(2, (await api.Items($"/api/v1/programs/{programId}/notifications", ct)).EnumerateArray().Count(n => n.GetProperty("kind").GetString() == "match"));
        Assert.Equal(1, (await api.Items($"/api/v1/programs/{programId}/engagements", ct)).GetArrayLength());
        Assert.Equal(2, log);
        Assert.Equal(1, engagements.GetArrayLength());
    }
    [Fact]
    public async Task A_decline_that_overtakes_its_match_cancels_the_engagement_before_anyone_is_reminded()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..8];
        var api = new DistrictApi(system.District("demo-a"));
        // A program of the district, so the gateway lets the lists through; the match itself arrives straight on the broker.
        var programId = await api.CreateProgram(DistrictApi.ProgramBody($"Broker only {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(3)), ct);
        var mentee = new Participant(Guid.NewGuid(), "Cy", $"cy.{run}@a.example.org", "Lincoln", "UTC");
        // Session 1 is tomorrow, so the pre-reflection and the session reminder would be due at once.
        var match = new MatchProposed("demo-a", programId, Guid.NewGuid(), Guid.NewGuid(), $"Overtaken {run}",
            new Participant(Guid.NewGuid(), "Di", $"di.{run}@a.example.org", "Lincoln", "UTC"), [mentee],
            [new SessionPlan(1, "virtual", DateTimeOffset.UtcNow.AddDays(1))], true, false, [],
            new MatchMessage("Hello?", null), 1, [], DateTimeOffset.UtcNow);
        var declined = new MatchDeclined("demo-a", programId, match.MatchId, mentee.EnrolmentId, "withdrew from the program", DateTimeOffset.UtcNow, MatchEnded: true, Withdrawn: true);

        await system.Publish(ct, (declined, NewId.NextGuid()));
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // Scheduling hears the decline first.
        await system.Publish(ct, (match, NewId.NextGuid()));

        var engagements = await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/engagements", token),
            e => e.GetArrayLength() == 1, "the engagement of the overtaken match");
        Assert.Equal("cancelled", engagements[0].GetProperty("status").GetString());
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var reminders = (await system.Emails(ct)).Where(e => e.Subject.Contains(run, StringComparison.Ordinal)
            && (e.Subject.StartsWith("Reminder", StringComparison.Ordinal) || e.Subject.StartsWith("Before", StringComparison.Ordinal)));
        Assert.Empty(reminders);
    }
}

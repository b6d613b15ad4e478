using System.Net;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.EndToEnd;

/// <summary>The foundation path through all four services, driven only through the gateway as an integrator would.</summary>
public sealed class MentoringPathTests(ToraceSystem system)
{
    [Fact]
    public async Task A_program_goes_from_creation_to_a_completed_session_and_its_history_shows_every_step()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var run = Guid.NewGuid().ToString("N")[..8];
        var name = $"SEL in practice {run}";
        var mentorEmail = $"maria.{run}@lincoln.example.org";
        var menteeEmail = $"sam.{run}@roosevelt.example.org";

        // A session tomorrow: its pre-reflection (due two days before) is due at once.
        var programId = await api.CreateOpenProgram(name, DateTimeOffset.UtcNow.AddDays(1), ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", mentorEmail, "Lincoln High", capacity: 2), ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", menteeEmail, "Roosevelt Middle"), ct);

        // Matching hears about the enrolments over RabbitMQ; a run made once both have arrived proposes the pair.
        var matchingRun = await api.RunMatching(programId, expectedProposals: 1);
        var runId = matchingRun.GetProperty("id").GetGuid();
        Assert.Equal("completed", matchingRun.GetProperty("status").GetString());

        using (var published = await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{runId}/publish", null, ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        }

        var engagement = (await Eventually.Until(
            token => api.Items($"/api/v1/programs/{programId}/engagements", token),
            e => e.GetArrayLength() == 1 && e[0].GetProperty("touchpoints").EnumerateArray().Any(t => t.GetProperty("status").GetString() == "due"),
            "the engagement with its pre-reflection due"))[0];
        Assert.Equal(2, engagement.GetProperty("sessions").GetArrayLength());

        var emails = await Eventually.Until(
            async token => (await system.Emails(token)).Where(e => e.Subject.Contains(name, StringComparison.Ordinal)).ToList(),
            sent => sent.Count(e => e.Subject.Contains("matched", StringComparison.Ordinal) || e.Subject.Contains("You have a mentor", StringComparison.Ordinal)) == 2
                && sent.Count(e => e.Subject.Contains("reflection", StringComparison.Ordinal)) == 2,
            "the match and pre-reflection emails");
        var match = emails.Where(e => ToraceSystem.IsMatchEmail(e.Subject)).ToList();
        Assert.Equal(new[] { menteeEmail, mentorEmail }.Order(), match.SelectMany(e => e.To.Select(t => t.Address)).Order());
        Assert.All(match, e => Assert.Contains("bring one lesson you want to improve", e.Html, StringComparison.Ordinal));
        Assert.All(match, e => Assert.Contains("https://example.org/guides/two-session", e.Html, StringComparison.Ordinal));

        var engagementId = engagement.GetProperty("id").GetGuid();
        using (var completed = await api.Http.PostAsync($"/api/v1/engagements/{engagementId}/sessions/1/complete", null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        }

        string[] steps = ["ProgramCreated", "ProgramOpened", "ParticipantEnrolled", "MatchProposed", "EngagementScheduled", "TouchpointDue", "NotificationSent", "SessionCompleted"];
        var history = await Eventually.Until(
            async token => (await api.Items($"/api/v1/programs/{programId}/history", token)).EnumerateArray()
                .Select(e => (Type: e.GetProperty("type").GetString()!, At: e.GetProperty("at").GetDateTimeOffset())).ToList(),
            entries => steps.All(s => entries.Any(e => e.Type == s)),
            "every step in the program history");
        Assert.Equal(history.OrderBy(e => e.At).Select(e => e.Type), history.Select(e => e.Type));
        Assert.Equal("ProgramCreated", history[0].Type);

        var log = await api.Items($"/api/v1/programs/{programId}/notifications", ct);
        Assert.Contains(log.EnumerateArray(), d => d.GetProperty("kind").GetString() == "match" && d.GetProperty("recipient").GetString() == mentorEmail);
    }
}

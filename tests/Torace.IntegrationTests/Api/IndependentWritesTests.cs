using System.Net;
using System.Net.Http.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Api;

/// <summary>Writes to one engagement that do not depend on each other never conflict, however many arrive at once.</summary>
public sealed class IndependentWritesTests(ToraceSystem system)
{
    [Fact]
    public async Task Sixteen_callers_completing_an_engagements_sessions_and_reflections_at_once_all_succeed_and_each_completes_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram(DistrictApi.ProgramBody($"Parallel sessions {tag}", DateTimeOffset.UtcNow.AddDays(1), sessions: 3), ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"mo.{tag}@lincoln.example.org", "Lincoln High", capacity: 1), ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", $"mi.{tag}@roosevelt.example.org", "Roosevelt Middle"), ct);
        var run = await api.RunMatching(programId, expectedProposals: 1);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, ct)).EnsureSuccessStatusCode();
        var engagementId = (await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t), e => e.GetArrayLength() == 1, "the engagement"))[0]
            .GetProperty("id").GetGuid();

        // Sixteen callers complete the three sessions and submit the two post-reflections, each several times over, while
        // the touchpoint sweep appends to the same stream (the pre-reflections and the first reminders fall due at once).
        var postReflections = (await api.Get($"/api/v1/engagements/{engagementId}", ct)).GetProperty("touchpoints").EnumerateArray()
            .Where(t => t.GetProperty("kind").GetString() == "post-reflection").Select(t => t.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(2, postReflections.Count);
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            using var response = i % 5 < 3
                ? await api.Http.PostAsync($"/api/v1/engagements/{engagementId}/sessions/{i % 5 + 1}/complete", null, ct)
                : await api.Http.PostAsJsonAsync($"/api/v1/engagements/{engagementId}/touchpoints/{postReflections[i % 5 - 3]}/submission",
                    new { response = $"Caller {i}: it helped." }, ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(ct));
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"{a.StatusCode}: {a.Body}"));
        var engagement = await api.Get($"/api/v1/engagements/{engagementId}", ct);
        Assert.Equal("completed", engagement.GetProperty("status").GetString());
        Assert.All(engagement.GetProperty("sessions").EnumerateArray(), s => Assert.Equal("completed", s.GetProperty("status").GetString()));
        var history = await Eventually.Until(
            async t => (await api.Items($"/api/v1/programs/{programId}/history", t)).EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList(),
            types => types.Contains("EngagementCompleted"), "the engagement's completion in the history");
        Assert.Equal(3, history.Count(t => t == "SessionCompleted"));
        Assert.Equal(2, history.Count(t => t == "TouchpointSubmitted"));
        Assert.Equal(1, history.Count(t => t == "EngagementCompleted"));
    }
}

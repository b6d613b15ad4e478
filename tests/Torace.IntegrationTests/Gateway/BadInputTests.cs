using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

/// <summary>Whatever a caller sends gets a clear ProblemDetails answer, never a 500.</summary>
public sealed class BadInputTests(ToraceSystem system)
{
    [Theory]
    [InlineData("""{"name":"x","kind":"topic-intervention","groupSize":"many"}""", "groupSize")]
    [InlineData("""{"name":"x","kind":"webinar","topic":"sel","sessions":[{"modality":"virtual"}],"message":{"text":"hi"}}""", "kind")]
    [InlineData("""{"name":"x","kind":"one-off","topic":"sel","sessions":[{"modality":"hologram"}],"message":{"text":"hi"}}""", "sessions[0].modality")]
    [InlineData("""{"name":"x","kind":"one-off","topic":"sel","sessions":[],"message":{"text":"hi"}}""", "sessions")]
    [InlineData("""{"name":"x","kind":"one-off","topic":"sel","sessions":[{"modality":"virtual"}]}""", "message.text")]
    [InlineData("""{"name":"x",""", "body")]
    public async Task A_malformed_program_gets_400_naming_the_field(string body, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await system.District("demo-a").PostAsync("/api/v1/programs", new StringContent(body, Encoding.UTF8, "application/json"), ct);

        await AssertNamesField(response, field, ct);
    }

    [Fact]
    public async Task A_malformed_enrolment_gets_400_naming_each_field()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram($"Lesson planning {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(5), ct);

        using var response = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments",
            new { role = "coach", externalId = "T-1", name = "Sam", email = "not-an-email", site = "Lincoln", timeZone = "Mars/Olympus" }, ct);

        var errors = await AssertNamesField(response, "email", ct);
        Assert.True(errors.TryGetProperty("role", out _));
        Assert.True(errors.TryGetProperty("timeZone", out _));
    }

    [Fact]
    public async Task Unknown_ids_get_404_and_a_wrong_state_gets_409()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        using var draft = await api.Http.PostAsJsonAsync("/api/v1/programs", DistrictApi.ProgramBody($"Draft {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(3)), ct);
        var draftId = await DistrictApi.IdOf(draft, HttpStatusCode.Created, ct);

        using var enrolInDraft = await api.Http.PostAsJsonAsync($"/api/v1/programs/{draftId}/enrolments", DistrictApi.Person("mentee", "early@a.example.org", "Lincoln"), ct);
        using var unknownProgram = await api.Http.PostAsync($"/api/v1/programs/{Guid.NewGuid()}/open", null, ct);
        using var unknownEngagement = await api.Http.PostAsync($"/api/v1/engagements/{Guid.NewGuid()}/sessions/1/complete", null, ct);
        using var unknownRun = await api.Http.GetAsync($"/api/v1/programs/{draftId}/matching-runs/{Guid.NewGuid()}", ct);

        Assert.Equal(HttpStatusCode.Conflict, enrolInDraft.StatusCode);
        Assert.Equal("application/problem+json", enrolInDraft.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownProgram.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownEngagement.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRun.StatusCode);
    }

    [Fact]
    public async Task Matching_endpoints_name_each_wrong_field_and_answer_404_for_unknown_runs_proposals_and_matches()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        // Field errors are checked under a program of the district (the gateway answers 404 for any other), unknown
        // runs, proposals and matches under a program nobody has.
        var existing = await api.CreateOpenProgram($"Review {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(4), ct);
        var programId = Guid.NewGuid();
        var runs = $"/api/v1/programs/{existing}/matching-runs/{Guid.NewGuid()}";

        using var weights = await api.Http.PostAsJsonAsync("/api/v1/programs",
            new { name = "Weights", kind = "one-off", topic = "sel", sessions = new[] { new { modality = "virtual" } }, message = new { text = "Hi" },
                matching = new { weights = new Dictionary<string, int> { ["charisma"] = 3 }, rounds = 4 } }, ct);
        using var swap = await api.Http.PostAsJsonAsync($"{runs}/swaps", new { menteeA = Guid.NewGuid() }, ct);
        using var add = await api.Http.PostAsJsonAsync($"{runs}/proposals", new { mentorId = "not-a-guid", menteeIds = Array.Empty<Guid>() }, ct);
        using var addEmpty = await api.Http.PostAsJsonAsync($"{runs}/proposals", new { mentorId = Guid.NewGuid(), menteeIds = Array.Empty<Guid>() }, ct);
        using var decline = await api.Http.PostAsJsonAsync($"/api/v1/programs/{existing}/matches/{Guid.NewGuid()}/decline", new { reason = "no" }, ct);
        using var badCursor = await api.Http.GetAsync($"{runs}?cursor=not-a-cursor&limit=10", ct);
        using var badLimit = await api.Http.GetAsync($"{runs}?limit=0", ct);
        using var hugeLimit = await api.Http.GetAsync($"{runs}?limit=1000000", ct);

        var weightErrors = await AssertNamesField(weights, "matching.weights.charisma", ct);
        Assert.True(weightErrors.TryGetProperty("matching.rounds", out _));
        await AssertNamesField(swap, "menteeB", ct);
        await AssertNamesField(add, "mentorId", ct);
        await AssertNamesField(addEmpty, "menteeIds", ct);
        await AssertNamesField(decline, "enrolmentId", ct);
        await AssertNamesField(badCursor, "cursor", ct);
        await AssertNamesField(badLimit, "limit", ct);
        await AssertNamesField(hugeLimit, "limit", ct);

        using var pin = await api.Http.PostAsync($"{runs}/proposals/{Guid.NewGuid()}/pin", null, ct);
        using var remove = await api.Http.DeleteAsync($"{runs}/proposals/{Guid.NewGuid()}", ct);
        using var publish = await api.Http.PostAsync($"{runs}/publish", null, ct);
        using var unknownProgramRun = await api.Http.GetAsync($"/api/v1/programs/{programId}/matching-runs/{Guid.NewGuid()}", ct);
        using var declineUnknown = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/matches/{Guid.NewGuid()}/decline", new { enrolmentId = Guid.NewGuid() }, ct);
        using var waitlist = await api.Http.GetAsync($"/api/v1/programs/{programId}/waitlist", ct);
        using var start = await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs", null, ct);
        Assert.All([pin, remove, publish, unknownProgramRun, declineUnknown, waitlist, start], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
    }

    static async Task<JsonElement> AssertNamesField(HttpResponseMessage response, string field, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"No error for '{field}' in {body}");
        return errors.Clone();
    }
}

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

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Torace.IntegrationTests.Fixture;

/// <summary>The public API as an integrator calls it, through the gateway with one district's key.</summary>
public sealed class DistrictApi(HttpClient http)
{
    public HttpClient Http => http;

    public static object ProgramBody(string name, DateTimeOffset firstSession, int sessions = 2) => new
    {
        name,
        kind = "topic-intervention",
        topic = "sel",
        sessions = Enumerable.Range(0, sessions).Select(i => new { modality = "virtual", startsAt = firstSession.AddDays(7 * i) }),
        groupSize = 1,
        preReflection = true,
        postReflection = true,
        touchpoints = sessions > 1 ? new[] { new { afterSession = 1, kind = "action-steps", dueAfterDays = 3 } } : [],
        pool = new { sites = "any" },
        matching = new { review = "manual" },
        message = new { text = $"Welcome to {name}: bring one lesson you want to improve.", guideUrl = "https://example.org/guides/two-session" },
    };

    public static object Person(string role, string email, string site, int capacity = 0, string modality = "virtual") => new
    {
        role,
        externalId = email,
        name = email.Split('@')[0],
        email,
        site,
        topics = new[] { "sel" },
        modality,
        timeZone = "America/Chicago",
        capacity = role == "mentor" ? capacity : (int?)null,
    };

    /// <summary>
    /// Starts runs until one, solved by the run worker, proposes the expected number of matches (enrolments cross the
    /// broker, so the first run may find nobody yet). Answers the completed run.
    /// </summary>
    public async Task<JsonElement> RunMatching(Guid programId, int expectedProposals)
    {
        return await Eventually.Until(async token =>
        {
            using var started = await http.PostAsync($"/api/v1/programs/{programId}/matching-runs", null, token);
            if (started.StatusCode == HttpStatusCode.NotFound)
            {
                return default; // Matching has not heard that the program opened yet.
            }
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"Starting a run answered {started.StatusCode}: {await started.Content.ReadAsStringAsync(token)}");
            var id = JsonDocument.Parse(await started.Content.ReadAsStringAsync(token)).RootElement.GetProperty("id").GetGuid();
            return await Eventually.Until(
                t => Get($"/api/v1/programs/{programId}/matching-runs/{id}", t),
                r => r.GetProperty("status").GetString() != "running",
                "the run worker to finish the run");
        }, r => r.ValueKind == JsonValueKind.Object && r.GetProperty("proposals").GetArrayLength() == expectedProposals,
            $"a run with {expectedProposals} proposals");
    }

    public Task<Guid> CreateOpenProgram(string name, DateTimeOffset firstSession, CancellationToken ct) =>
        CreateOpenProgram(ProgramBody(name, firstSession), ct);

    public async Task<Guid> CreateOpenProgram(object body, CancellationToken ct)
    {
        var id = await IdOf(await http.PostAsJsonAsync("/api/v1/programs", body, ct), HttpStatusCode.Created, ct);
        (await http.PostAsync($"/api/v1/programs/{id}/open", null, ct)).EnsureSuccessStatusCode();
        return id;
    }

    public async Task<Guid> Enrol(Guid programId, object person, CancellationToken ct) =>
        await IdOf(await http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", person, ct), HttpStatusCode.Created, ct);

    public async Task<JsonElement> Get(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    public static async Task<Guid> IdOf(HttpResponseMessage response, HttpStatusCode expected, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }
}

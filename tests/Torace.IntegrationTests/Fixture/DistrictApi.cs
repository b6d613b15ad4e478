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

    public static object Person(string role, string email, string site, int capacity = 0) => new
    {
        role,
        externalId = email,
        name = email.Split('@')[0],
        email,
        site,
        topics = new[] { "sel" },
        modality = "virtual",
        timeZone = "America/Chicago",
        capacity = role == "mentor" ? capacity : (int?)null,
    };

    public async Task<Guid> CreateOpenProgram(string name, DateTimeOffset firstSession, CancellationToken ct)
    {
        var id = await IdOf(await http.PostAsJsonAsync("/api/v1/programs", ProgramBody(name, firstSession), ct), HttpStatusCode.Created, ct);
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

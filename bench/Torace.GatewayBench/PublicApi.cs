using System.Net.Http.Json;
using System.Text.Json;

namespace Torace.GatewayBench;

/// <summary>The calls and bodies the bench sends, as the integration tests send them (tests/…/Fixture/DistrictApi.cs).</summary>
public static class PublicApi
{
    public static async Task<Guid> CreateOpenProgram(HttpClient http, string name, CancellationToken ct)
    {
        var firstSession = DateTimeOffset.UtcNow.AddDays(10);
        var body = new
        {
            name,
            kind = "topic-intervention",
            topic = "sel",
            sessions = new[] { new { modality = "virtual", startsAt = firstSession }, new { modality = "virtual", startsAt = firstSession.AddDays(7) } },
            groupSize = 1,
            preReflection = true,
            postReflection = true,
            touchpoints = new[] { new { afterSession = 1, kind = "action-steps", dueAfterDays = 3 } },
            pool = new { sites = "any" },
            matching = new { review = "manual" },
            message = new { text = $"Welcome to {name}: bring one lesson you want to improve.", guideUrl = "https://example.org/guides/two-session" },
        };
        using var created = await http.PostAsJsonAsync("/api/v1/programs", body, ct);
        var text = await created.Content.ReadAsStringAsync(ct);
        if (!created.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating program '{name}' answered {(int)created.StatusCode}: {text}");
        }
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        using var opened = await http.PostAsync($"/api/v1/programs/{id}/open", null, ct);
        opened.EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>One staff member; one in five a mentor with four places, spread over twenty schools.</summary>
    public static object Person(string email, int i) => new
    {
        role = i % 5 == 0 ? "mentor" : "mentee",
        externalId = email,
        name = email.Split('@')[0],
        email,
        site = $"School {i % 20}",
        topics = new[] { "sel" },
        modality = "virtual",
        timeZone = "America/Chicago",
        capacity = i % 5 == 0 ? 4 : (int?)null,
    };

    public static Task<HttpResponseMessage> Enrol(HttpClient http, Guid programId, string email, int i, CancellationToken ct) =>
        http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", Person(email, i), ct);
}

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
        // Quiet hours would hold a reminder that falls due while the test runs at night in Chicago until 7 a.m. there.
        reminders = new { quietHours = false },
    };

    /// <summary>A person to enrol: their external id is their email and their name its local part unless given.</summary>
    public static object Person(string role, string email, string site, int capacity = 0, string modality = "virtual", string? externalId = null, string? name = null) => new
    {
        role,
        externalId = externalId ?? email,
        name = name ?? email.Split('@')[0],
        email,
        site,
        topics = new[] { "sel" },
        modality,
        timeZone = "America/Chicago",
        capacity = role == "mentor" ? capacity : (int?)null,
    };

    /// <summary>
    /// Starts a run right after the enrolments were answered (the run covers every one of them) and waits for the run
    /// worker to finish it; asserts it proposes the expected number of matches. Answers the completed run.
    /// </summary>
    public async Task<JsonElement> RunMatching(Guid programId, int expectedProposals)
    {
        var ct = TestContext.Current.CancellationToken;
        var run = await Finished(programId, await StartRun(programId, ct), ct);
        // The run's first page holds up to 500 proposals; proposalCount counts them all.
        Assert.True(run.GetProperty("proposalCount").GetInt32() == expectedProposals,
            $"Expected {expectedProposals} proposals: {run}");
        return run;
    }

    public async Task<Guid> StartRun(Guid programId, CancellationToken ct, object? body = null) =>
        await IdOf(await http.PostAsJsonAsync($"/api/v1/programs/{programId}/matching-runs", body ?? new { }, ct), HttpStatusCode.Accepted, ct);

    /// <summary>Polls the run (readable from the moment the start was answered) until the run worker has finished it.</summary>
    public Task<JsonElement> Finished(Guid programId, Guid runId, CancellationToken ct, int seconds = 60) =>
        Eventually.Until(t => Run(programId, runId, t),
            r => r.GetProperty("status").GetString() != "running", "the run worker to finish the run", seconds);

    /// <summary>
    /// The run as its Location answers it: 200 with the run, or, until Matching has taken the request up, 202 with
    /// Retry-After and <c>{ id, status: running }</c>. Anything else (a 404 for a run that was accepted) fails.
    /// </summary>
    public async Task<JsonElement> Run(Guid programId, Guid runId, CancellationToken ct)
    {
        var path = $"/api/v1/programs/{programId}/matching-runs/{runId}";
        using var response = await http.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK
            || response.StatusCode == HttpStatusCode.Accepted && response.Headers.RetryAfter is not null,
            $"GET {path} answered {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task<Guid> CreateOpenProgram(string name, DateTimeOffset firstSession, CancellationToken ct) =>
        CreateOpenProgram(ProgramBody(name, firstSession), ct);

    public async Task<Guid> CreateOpenProgram(object body, CancellationToken ct)
    {
        var id = await CreateProgram(body, ct);
        (await http.PostAsync($"/api/v1/programs/{id}/open", null, ct)).EnsureSuccessStatusCode();
        return id;
    }

    public async Task<Guid> Enrol(Guid programId, object person, CancellationToken ct) =>
        await IdOf(await http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", person, ct), HttpStatusCode.Created, ct);

    public async Task<Guid> CreateProgram(object body, CancellationToken ct) =>
        await IdOf(await http.PostAsJsonAsync("/api/v1/programs", body, ct), HttpStatusCode.Created, ct);

    /// <summary>The items of a list (its first page, of up to 500).</summary>
    public async Task<JsonElement> Items(string path, CancellationToken ct) =>
        (await Get(path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "limit=500", ct)).GetProperty("items");

    /// <summary>Every item of a list, page after page through its <c>next</c> links.</summary>
    public async Task<IReadOnlyList<JsonElement>> AllItems(string path, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        string? page = path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "limit=500";
        while (page is not null)
        {
            var body = await Get(page, ct);
            items.AddRange(body.GetProperty("items").EnumerateArray());
            page = body.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        return items;
    }

    public async Task<JsonElement> Get(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    public static async Task<Guid> IdOf(HttpResponseMessage response, HttpStatusCode expected, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Programs;

/// <summary>A program's whole life through the gateway: edit, close, run, complete, cancel; profiles; templates and the catalog.</summary>
public sealed class ProgramLifecycleTests(ToraceSystem system)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpClient http, HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    static async Task<string> ETagOf(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, Ct);
        return response.Headers.ETag!.ToString();
    }

    async Task<(DistrictApi Api, Guid ProgramId, Guid EngagementId, string Name)> PublishedPair(int sessions)
    {
        var api = new DistrictApi(system.District("demo-a"));
        var name = Unique("Lifecycle");
        var programId = await api.CreateOpenProgram(DistrictApi.ProgramBody(name, DateTimeOffset.UtcNow.AddDays(10), sessions), Ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"{Guid.NewGuid():N}@mentor.example.org", "Lincoln", capacity: 1), Ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", $"{Guid.NewGuid():N}@mentee.example.org", "Roosevelt"), Ct);
        var run = await api.RunMatching(programId, expectedProposals: 1);
        using (var published = await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        }
        var engagement = await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t), e => e.GetArrayLength() == 1, "the engagement");
        return (api, programId, engagement[0].GetProperty("id").GetGuid(), name);
    }

    [Fact]
    public async Task A_program_runs_from_its_first_published_match_and_completes_when_its_last_engagement_does()
    {
        var (api, programId, engagementId, _) = await PublishedPair(sessions: 1);

        await Eventually.Until(t => api.Get($"/api/v1/programs/{programId}", t), p => p.GetProperty("status").GetString() == "running", "the program to run");
        using (var completed = await api.Http.PostAsync($"/api/v1/engagements/{engagementId}/sessions/1/complete", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        }
        Assert.Equal("active", (await api.Get($"/api/v1/engagements/{engagementId}", Ct)).GetProperty("status").GetString()); // post-reflections to come
        foreach (var reflection in (await api.Get($"/api/v1/engagements/{engagementId}", Ct)).GetProperty("touchpoints").EnumerateArray()
            .Where(t => t.GetProperty("kind").GetString() == "post-reflection"))
        {
            var (submitted, _) = await Send(api.Http, HttpMethod.Post, $"/api/v1/engagements/{engagementId}/touchpoints/{reflection.GetProperty("id").GetGuid()}/submission",
                new { response = "We met; it helped." });
            Assert.Equal(HttpStatusCode.OK, submitted);
        }

        var program = await Eventually.Until(t => api.Get($"/api/v1/programs/{programId}", t),
            p => p.GetProperty("status").GetString() == "completed", "the program to complete");
        Assert.False(program.GetProperty("enrolmentOpen").GetBoolean());
        var (status, problem) = await Send(api.Http, HttpMethod.Post, $"/api/v1/programs/{programId}/cancel", new { reason = "late" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("completed", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_running_program_ends_its_engagements_and_tells_everyone_matched_why()
    {
        var (api, programId, _, name) = await PublishedPair(sessions: 2);
        await Eventually.Until(t => system.Emails(t), e => e.Count(m => m.Subject.Contains(name, StringComparison.Ordinal) && ToraceSystem.IsMatchEmail(m.Subject)) == 2, "the two match emails");

        var (missing, noReason) = await Send(api.Http, HttpMethod.Post, $"/api/v1/programs/{programId}/cancel", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var (status, program) = await Send(api.Http, HttpMethod.Post, $"/api/v1/programs/{programId}/cancel", new { reason = "Too few mentors this term" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", program.GetProperty("status").GetString());
        Assert.Equal("Too few mentors this term", program.GetProperty("cancellationReason").GetString());

        await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/engagements", t),
            e => e[0].GetProperty("status").GetString() == "cancelled", "the engagement to end");
        await Eventually.Until(t => api.Items($"/api/v1/programs/{programId}/matches", t),
            m => m[0].GetProperty("status").GetString() == "cancelled", "the match to end");
        var told = await Eventually.Until(t => system.Emails(t),
            e => e.Count(m => m.Subject == $"Cancelled: {name}") == 2, "both participants to be told");
        Assert.All(told.Where(m => m.Subject == $"Cancelled: {name}"), m => Assert.Contains("Too few mentors this term", m.Html, StringComparison.Ordinal));

        var (again, _) = await Send(api.Http, HttpMethod.Post, $"/api/v1/programs/{programId}/cancel", new { reason = "twice" });
        Assert.Equal(HttpStatusCode.OK, again);
        using var late = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments",
            DistrictApi.Person("mentee", $"{Guid.NewGuid():N}@late.example.org", "Lincoln"), Ct);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.Equal(2, (await system.Emails(Ct)).Count(m => m.Subject == $"Cancelled: {name}"));
    }

    [Fact]
    public async Task A_draft_is_edited_with_its_etag_a_stale_one_answers_412_and_only_a_draft_can_be_edited()
    {
        var api = new DistrictApi(system.District("demo-a"));
        var name = Unique("Draft");
        var programId = await api.CreateProgram(DistrictApi.ProgramBody(name, DateTimeOffset.UtcNow.AddDays(9)), Ct);
        var path = $"/api/v1/programs/{programId}";
        var etag = await ETagOf(api.Http, path);

        var (edited, program) = await Send(api.Http, HttpMethod.Put, path, DistrictApi.ProgramBody(name + " (spring)", DateTimeOffset.UtcNow.AddDays(9), sessions: 4), etag);
        Assert.Equal(HttpStatusCode.OK, edited);
        Assert.Equal(name + " (spring)", program.GetProperty("name").GetString());
        Assert.Equal("regular-mentoring", program.GetProperty("format").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(api.Http, HttpMethod.Put, path, DistrictApi.ProgramBody(name, DateTimeOffset.UtcNow.AddDays(9)), etag)).Status);
        var (bad, problem) = await Send(api.Http, HttpMethod.Put, path, new { name = "", kind = "lecture" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.True(problem.GetProperty("errors").TryGetProperty("kind", out _));

        (await api.Http.PostAsync($"{path}/open", null, Ct)).EnsureSuccessStatusCode();
        var (conflict, refusal) = await Send(api.Http, HttpMethod.Put, path, DistrictApi.ProgramBody(name, DateTimeOffset.UtcNow.AddDays(9)));
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Contains("open", refusal.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(system.District("demo-b"), HttpMethod.Put, path, DistrictApi.ProgramBody(name, DateTimeOffset.UtcNow))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(system.District("demo-b"), HttpMethod.Post, $"{path}/cancel", new { reason = "not mine" })).Status);
    }

    [Fact]
    public async Task Closing_enrolment_keeps_the_people_in_refuses_newcomers_and_leaves_the_catalog()
    {
        var api = new DistrictApi(system.District("demo-a"));
        var topic = "closing-" + Guid.NewGuid().ToString("N")[..6];
        var body = JsonSerializer.SerializeToNode(DistrictApi.ProgramBody(Unique("Closing"), DateTimeOffset.UtcNow.AddDays(9)))!;
        body["topic"] = topic;
        var programId = await api.CreateOpenProgram(body, Ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", $"{Guid.NewGuid():N}@in.example.org", "Lincoln"), Ct);
        Assert.Equal(programId, (await api.Items($"/api/v1/catalog?topic={topic}", Ct))[0].GetProperty("id").GetGuid());

        var (closed, program) = await Send(api.Http, HttpMethod.Post, $"/api/v1/programs/{programId}/close");
        Assert.Equal(HttpStatusCode.OK, closed);
        Assert.Equal("open", program.GetProperty("status").GetString());
        Assert.False(program.GetProperty("enrolmentOpen").GetBoolean());
        Assert.Equal(1, program.GetProperty("mentees").GetInt32());

        using var late = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments",
            DistrictApi.Person("mentee", $"{Guid.NewGuid():N}@late.example.org", "Lincoln"), Ct);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(0, (await api.Items($"/api/v1/catalog?topic={topic}", Ct)).GetArrayLength());
        Assert.Equal(1, (await api.Items($"/api/v1/catalog?topic={topic}&status=open", Ct)).GetArrayLength());
        Assert.Equal(0, (await new DistrictApi(system.District("demo-b")).Items($"/api/v1/catalog?topic={topic}&status=open", Ct)).GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(api.Http, HttpMethod.Get, "/api/v1/catalog?status=paused")).Status);
    }

    [Fact]
    public async Task A_program_from_a_template_takes_its_defaults_and_the_districts_guide_for_its_format()
    {
        var api = new DistrictApi(system.District("demo-b"));
        var guides = new { oneSession = "https://b.example.org/one.pdf", twoSession = "https://b.example.org/two.pdf", threeSession = "https://b.example.org/three.pdf" };
        Assert.Equal(HttpStatusCode.OK, (await Send(api.Http, HttpMethod.Put, "/api/v1/settings/guides", guides)).Status);
        var (bad, problem) = await Send(api.Http, HttpMethod.Put, "/api/v1/settings/guides", new { oneSession = "not a link" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.True(problem.GetProperty("errors").TryGetProperty("oneSession", out _));

        var templates = await api.Items("/api/v1/program-templates", Ct);
        Assert.Equal(8, templates.GetArrayLength());
        Assert.Equal("https://b.example.org/three.pdf",
            templates.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "three-session").GetProperty("guideUrl").GetString());

        var (created, program) = await Send(api.Http, HttpMethod.Post, "/api/v1/programs", new { name = Unique("From template"), topic = "lesson-planning", template = "three-session" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("three-session", program.GetProperty("format").GetString());
        Assert.Equal(2, program.GetProperty("touchpoints").GetArrayLength());
        Assert.Equal("https://b.example.org/three.pdf", program.GetProperty("message").GetProperty("guideUrl").GetString());
        var (unknown, refusal) = await Send(api.Http, HttpMethod.Post, "/api/v1/programs", new { name = "x", topic = "sel", template = "nine-session" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.True(refusal.GetProperty("errors").TryGetProperty("template", out _));

        var other = await new DistrictApi(system.District("demo-a")).Get("/api/v1/settings/guides", Ct);
        Assert.NotEqual("https://b.example.org/one.pdf", other.TryGetProperty("oneSession", out var link) ? link.GetString() : null);
    }

    [Fact]
    public async Task A_changed_profile_answers_200_with_the_same_id_and_the_next_run_matches_on_it()
    {
        var api = new DistrictApi(system.District("demo-a"));
        var body = JsonSerializer.SerializeToNode(DistrictApi.ProgramBody(Unique("Profiles"), DateTimeOffset.UtcNow.AddDays(9)))!;
        body["pool"] = JsonSerializer.SerializeToNode(new { sites = "other" });
        var programId = await api.CreateOpenProgram(body, Ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"{Guid.NewGuid():N}@mentor.example.org", "Lincoln", capacity: 1), Ct);
        var email = $"{Guid.NewGuid():N}@mentee.example.org";
        var menteeId = await api.Enrol(programId, DistrictApi.Person("mentee", email, "Lincoln"), Ct);
        var enrolment = $"/api/v1/programs/{programId}/enrolments/{menteeId}";
        var stale = await ETagOf(api.Http, enrolment);

        using (var again = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", DistrictApi.Person("mentee", email, "Roosevelt"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(menteeId, (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
        }
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(api.Http, HttpMethod.Patch, enrolment, new { jobRole = "counselor" }, stale)).Status);
        var (patched, changed) = await Send(api.Http, HttpMethod.Patch, enrolment, new { jobRole = "counselor" }, await ETagOf(api.Http, enrolment));
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Equal("Roosevelt", changed.GetProperty("site").GetString());
        Assert.Equal("counselor", changed.GetProperty("jobRole").GetString());
        var (bad, problem) = await Send(api.Http, HttpMethod.Patch, enrolment, new { email = "nobody", modality = "by-post" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _) && problem.GetProperty("errors").TryGetProperty("modality", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await Send(system.District("demo-b"), HttpMethod.Patch, enrolment, new { site = "Elsewhere" })).Status);

        // Lincoln with Lincoln is not allowed in an other-sites pool: the match exists only because Matching has the new site.
        var run = await api.RunMatching(programId, expectedProposals: 1);
        Assert.Equal(menteeId, run.GetProperty("proposals")[0].GetProperty("menteeIds")[0].GetGuid());
    }
}

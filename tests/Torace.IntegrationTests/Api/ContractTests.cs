using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Api;

/// <summary>Idempotency keys, versions and paging, as an integrator relies on them.</summary>
public sealed class ContractTests(ToraceSystem system)
{
    static HttpRequestMessage Post(string path, object body, string? key = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        return request;
    }

    async Task<int> ProgramsNamed(DistrictApi api, string name, CancellationToken ct)
    {
        var count = 0;
        string? next = "/api/v1/programs?limit=500";
        while (next is not null)
        {
            var page = await api.Get(next, ct);
            count += page.GetProperty("items").EnumerateArray().Count(p => p.GetProperty("name").GetString() == name);
            next = page.GetProperty("next").GetString();
        }
        return count;
    }

    [Fact]
    public async Task A_repeated_post_with_the_same_idempotency_key_answers_the_first_answer_and_creates_nothing_more()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var name = $"Idempotent {Guid.NewGuid():N}";
        var body = DistrictApi.ProgramBody(name, DateTimeOffset.UtcNow.AddDays(6));
        var key = Guid.NewGuid().ToString();

        using var first = await api.Http.SendAsync(Post("/api/v1/programs", body, key), ct);
        using var repeat = await api.Http.SendAsync(Post("/api/v1/programs", body, key), ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(ct), await repeat.Content.ReadAsStringAsync(ct));
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await ProgramsNamed(api, name, ct));
    }

    [Fact]
    public async Task Sixteen_simultaneous_repeats_of_one_key_create_one_program_and_all_answer_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var name = $"Simultaneous {Guid.NewGuid():N}";
        var body = DistrictApi.ProgramBody(name, DateTimeOffset.UtcNow.AddDays(6));
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await api.Http.SendAsync(Post("/api/v1/programs", body, key), ct);
            return (response.StatusCode, Id: DistrictApi.IdOf(response, HttpStatusCode.Created, ct));
        }));

        var ids = await Task.WhenAll(answers.Select(a => a.Id));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await ProgramsNamed(api, name, ct));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422_and_districts_keep_their_keys_apart()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = new DistrictApi(system.District("demo-a"));
        var b = new DistrictApi(system.District("demo-b"));
        var key = Guid.NewGuid().ToString();
        var body = DistrictApi.ProgramBody($"Key owner {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(6));

        var inA = await DistrictApi.IdOf(await a.Http.SendAsync(Post("/api/v1/programs", body, key), ct), HttpStatusCode.Created, ct);
        using var other = await a.Http.SendAsync(Post("/api/v1/programs", DistrictApi.ProgramBody("Another program", DateTimeOffset.UtcNow.AddDays(6)), key), ct);
        var inB = await DistrictApi.IdOf(await b.Http.SendAsync(Post("/api/v1/programs", body, key), ct), HttpStatusCode.Created, ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(inA, inB);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Http.GetAsync($"/api/v1/programs/{inA}", ct)).StatusCode);
    }

    [Fact]
    public async Task A_change_against_a_stale_ETag_is_refused_with_412_and_the_current_one_succeeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateProgram(DistrictApi.ProgramBody($"Versions {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(6)), ct);
        using var read = await api.Http.GetAsync($"/api/v1/programs/{programId}", ct);
        var etag = read.Headers.ETag!.Tag;

        using var stale = await api.Http.SendAsync(Post($"/api/v1/programs/{programId}/open", new { }, ifMatch: "\"7\""), ct);
        using var current = await api.Http.SendAsync(Post($"/api/v1/programs/{programId}/open", new { }, ifMatch: etag), ct);
        using var again = await api.Http.SendAsync(Post($"/api/v1/programs/{programId}/open", new { }, ifMatch: etag), ct);

        Assert.Equal("\"1\"", etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal("\"2\"", current.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, again.StatusCode);
        Assert.Equal("open", (await api.Get($"/api/v1/programs/{programId}", ct)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Lists_come_a_page_at_a_time_with_a_next_link_and_a_total()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram($"Paging {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(6), ct);
        var enrolled = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            enrolled.Add(await api.Enrol(programId, DistrictApi.Person("mentee", $"page{i}@a.example.org", "Lincoln"), ct));
        }

        var seen = new List<Guid>();
        string? next = $"/api/v1/programs/{programId}/enrolments?limit=2";
        var pages = 0;
        while (next is not null)
        {
            var page = await api.Get(next, ct);
            Assert.Equal(5, page.GetProperty("total").GetInt64());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
            next = page.GetProperty("next").GetString();
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(enrolled, seen);
        using var badLimit = await api.Http.GetAsync($"/api/v1/programs/{programId}/enrolments?limit=501", ct);
        using var badRole = await api.Http.GetAsync($"/api/v1/programs/{programId}/enrolments?role=coach", ct);
        using var badStatus = await api.Http.GetAsync("/api/v1/programs?status=sleeping", ct);
        using var notANumber = await api.Http.GetAsync("/api/v1/programs?limit=lots", ct);
        foreach (var (response, field) in new[] { (badLimit, "limit"), (badRole, "role"), (badStatus, "status"), (notANumber, "limit") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task An_all_zero_id_is_an_unknown_resource_on_every_operation_never_a_500()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram($"Zeros {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(6), ct);
        var zero = Guid.Empty;
        var calls = new ConcurrentBag<(string, HttpStatusCode)>();
        async Task Call(HttpMethod method, string path)
        {
            using var response = await api.Http.SendAsync(new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get || method == HttpMethod.Delete ? null : JsonContent.Create(new { }) }, ct);
            calls.Add(($"{method} {path}", response.StatusCode));
        }

        await Task.WhenAll(
            Call(HttpMethod.Get, $"/api/v1/programs/{zero}"),
            Call(HttpMethod.Post, $"/api/v1/programs/{zero}/open"),
            Call(HttpMethod.Get, $"/api/v1/programs/{programId}/enrolments/{zero}"),
            Call(HttpMethod.Delete, $"/api/v1/programs/{programId}/enrolments/{zero}"),
            Call(HttpMethod.Get, $"/api/v1/programs/{programId}/matching-runs/{zero}"),
            Call(HttpMethod.Post, $"/api/v1/programs/{programId}/matching-runs/{zero}/publish"),
            Call(HttpMethod.Post, $"/api/v1/programs/{programId}/matches/{zero}/decline"),
            Call(HttpMethod.Get, $"/api/v1/engagements/{zero}"),
            Call(HttpMethod.Post, $"/api/v1/engagements/{zero}/sessions/1/complete"),
            Call(HttpMethod.Post, $"/api/v1/engagements/{zero}/touchpoints/{zero}/submission"),
            Call(HttpMethod.Put, $"/api/v1/engagements/{zero}/sessions/1"),
            Call(HttpMethod.Post, $"/api/v1/engagements/{zero}/sessions/1/confirm"),
            Call(HttpMethod.Post, $"/api/v1/engagements/{zero}/touchpoints/{zero}/feedback"),
            Call(HttpMethod.Post, $"/api/v1/engagements/{zero}/withdraw"),
            Call(HttpMethod.Post, $"/api/v1/engagements/{zero}/complete"),
            Call(HttpMethod.Get, $"/api/v1/programs/{zero}/attention"));

        Assert.All(calls, c => Assert.True(c.Item2 is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{c.Item1} answered {c.Item2}"));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;
using static Torace.IntegrationTests.Fixture.GatewayKeys;

namespace Torace.IntegrationTests.Gateway;

/// <summary>The gateway's own POSTs take an Idempotency-Key: a retry gets the first answer and changes nothing.</summary>
public sealed class IdempotentPostTests(ToraceSystem system)
{
    static HttpRequestMessage CreateKey(string idempotencyKey, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, KeysPath) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    static async Task<int> KeysNamed(HttpClient admin, string name, CancellationToken ct) =>
        (await admin.AllKeys(ct)).Count(k => k.GetProperty("name").GetString() == name);

    [Fact]
    public async Task A_repeated_create_with_the_same_key_and_body_answers_the_same_key_and_creates_one()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var name = $"retried {Guid.NewGuid():N}";
        var idempotencyKey = Guid.NewGuid().ToString();

        using var first = await admin.SendAsync(CreateKey(idempotencyKey, new { name, scopes = new[] { "read" } }), ct);
        using var repeat = await admin.SendAsync(CreateKey(idempotencyKey, new { name, scopes = new[] { "read" } }), ct);
        var issued = await Issued(first, ct);
        var replayed = await Issued(repeat, ct);

        Assert.Equal((issued.Id, issued.Key), (replayed.Id, replayed.Key));
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.True(repeat.Headers.TryGetValues("Idempotent-Replayed", out var flag) && flag.Single() == "true");
        Assert.Equal(1, await KeysNamed(admin, name, ct));
        using var works = system.WithKey(replayed.Key);
        Assert.Equal(HttpStatusCode.NotFound, (await works.GetAsync($"/api/v1/programs/{Guid.NewGuid()}", ct)).StatusCode);
    }

    [Fact]
    public async Task Sixteen_repeats_at_once_create_one_key_and_all_get_its_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var name = $"stampede {Guid.NewGuid():N}";
        var idempotencyKey = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await admin.SendAsync(CreateKey(idempotencyKey, new { name, scopes = new[] { "read", "write" } }), ct);
            return await Issued(response, ct);
        }));

        Assert.Single(answers.Select(a => (a.Id, a.Key)).Distinct());
        Assert.Equal(1, await KeysNamed(admin, name, ct));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_answers_422_and_creates_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var name = $"first body {Guid.NewGuid():N}";
        var idempotencyKey = Guid.NewGuid().ToString();

        using var first = await admin.SendAsync(CreateKey(idempotencyKey, new { name, scopes = new[] { "read" } }), ct);
        using var other = await admin.SendAsync(CreateKey(idempotencyKey, new { name = name + " changed", scopes = new[] { "read" } }), ct);
        using var otherRoute = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{KeysPath}/{Guid.NewGuid()}/rotate")
        {
            Content = JsonContent.Create(new { gracePeriodHours = 1 }),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        }, ct);

        await Issued(first, ct);
        await Problem(other, HttpStatusCode.UnprocessableEntity, ct);
        await Problem(otherRoute, HttpStatusCode.UnprocessableEntity, ct);
        Assert.Equal(0, await KeysNamed(admin, name + " changed", ct));
    }

    [Fact]
    public async Task The_same_idempotency_key_in_two_districts_creates_one_key_in_each()
    {
        var ct = TestContext.Current.CancellationToken;
        using var districtA = system.District("demo-a");
        using var districtB = system.District("demo-b");
        var name = $"shared idempotency key {Guid.NewGuid():N}";
        var idempotencyKey = Guid.NewGuid().ToString();

        using var inA = await districtA.SendAsync(CreateKey(idempotencyKey, new { name, scopes = new[] { "read" } }), ct);
        using var inB = await districtB.SendAsync(CreateKey(idempotencyKey, new { name, scopes = new[] { "read" } }), ct);
        var a = await Issued(inA, ct);
        var b = await Issued(inB, ct);

        Assert.NotEqual(a.Id, b.Id);
        Assert.False(inB.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await KeysNamed(districtA, name, ct));
        Assert.Equal(1, await KeysNamed(districtB, name, ct));
    }

    [Fact]
    public async Task A_refused_request_stores_nothing_so_the_fixed_request_may_reuse_its_key()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var idempotencyKey = Guid.NewGuid().ToString();
        var name = $"fixed {Guid.NewGuid():N}";

        using var rotateUnknown = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{KeysPath}/{Guid.NewGuid()}/rotate")
        {
            Content = JsonContent.Create(new { gracePeriodHours = 1 }),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        }, ct);
        using var invalid = await admin.SendAsync(CreateKey(idempotencyKey, new { name, scopes = new[] { "root" } }), ct);
        using var fixedUp = await admin.SendAsync(CreateKey(idempotencyKey, new { name, scopes = new[] { "read" } }), ct);

        Assert.Equal(HttpStatusCode.NotFound, rotateUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await Issued(fixedUp, ct);
    }

    [Fact]
    public async Task A_malformed_idempotency_key_gets_400_naming_the_header()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");

        using var response = await admin.SendAsync(CreateKey(new string('k', 256), new { name = "x", scopes = new[] { "read" } }), ct);

        var problem = await Problem(response, HttpStatusCode.BadRequest, ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString());
    }

    [Fact]
    public async Task A_repeated_rotation_rotates_once()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-b");
        var key = await admin.CreateKey($"rotated once {Guid.NewGuid():N}", ["read"], ct);
        var idempotencyKey = Guid.NewGuid().ToString();
        HttpRequestMessage Rotate() => new(HttpMethod.Post, $"{KeysPath}/{key.Id}/rotate")
        {
            Content = JsonContent.Create(new { gracePeriodHours = 0 }),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };

        using var first = await admin.SendAsync(Rotate(), ct);
        using var repeat = await admin.SendAsync(Rotate(), ct);

        Assert.Equal((await Issued(first, ct)).Id, (await Issued(repeat, ct)).Id);
        var name = key.Answer.GetProperty("name").GetString();
        Assert.Equal(2, (await admin.AllKeys(ct)).Count(k => k.GetProperty("name").GetString() == name));
    }
}

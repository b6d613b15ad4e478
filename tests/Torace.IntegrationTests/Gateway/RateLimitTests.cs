using System.Globalization;
using System.Net;
using System.Text.Json;
using Torace.Gateway.ApiKeys;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

/// <summary>Gateways of their own with tiny limits, so exhausting them cannot disturb the other tests' districts.</summary>
public sealed class RateLimitTests(ToraceSystem system) : IAsyncLifetime
{
    const int PermitsPerSecond = 1;
    const int Burst = 5;
    static readonly string Key = ApiKeyStore.NewKey();
    static readonly string OtherKey = ApiKeyStore.NewKey();

    readonly IsolatedService<ApiKeyStore> slowRate = Gateway(system, new()
    {
        ["Gateway:RateLimit:PermitsPerSecond"] = PermitsPerSecond.ToString(CultureInfo.InvariantCulture),
        ["Gateway:RateLimit:Burst"] = Burst.ToString(CultureInfo.InvariantCulture),
    });

    readonly IsolatedService<ApiKeyStore> oneAtATime = Gateway(system, new()
    {
        ["Gateway:RateLimit:MaxConcurrent"] = "1",
        ["Gateway:RateLimit:QueueLimit"] = "0",
    });

    static IsolatedService<ApiKeyStore> Gateway(ToraceSystem system, Dictionary<string, string> limits) => new(system, "gateway", new Dictionary<string, string>(limits)
    {
        ["Gateway:Districts:0:Name"] = "busy-district",
        ["Gateway:Districts:0:ApiKey"] = Key,
        ["Gateway:Districts:1:Name"] = "quiet-district",
        ["Gateway:Districts:1:ApiKey"] = OtherKey,
        ["services:programs:http:0"] = system.ServiceUrl("programs").ToString(),
    });

    public async ValueTask InitializeAsync()
    {
        await slowRate.Prepare(TestContext.Current.CancellationToken);
        await oneAtATime.Prepare(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await slowRate.DisposeAsync();
        await oneAtATime.DisposeAsync();
    }

    [Fact]
    public async Task A_district_over_its_rate_gets_429_with_Retry_After_and_the_limit_and_other_districts_are_unaffected()
    {
        var ct = TestContext.Current.CancellationToken;
        using var busy = Client(slowRate, Key);
        using var quiet = Client(slowRate, OtherKey);
        var path = $"/api/v1/programs/{Guid.NewGuid()}";

        for (var i = 0; i < Burst; i++)
        {
            using var allowed = await busy.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.NotFound, allowed.StatusCode);
        }
        HttpResponseMessage limited;
        var sent = 0;
        do
        {
            // A token comes back every second; the bucket is empty again long before the loop ends.
            limited = await busy.GetAsync(path, ct);
        }
        while (limited.StatusCode != HttpStatusCode.TooManyRequests && ++sent < 20);
        using var other = await quiet.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After names a wait.");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal(PermitsPerSecond, problem.GetProperty("permitsPerSecond").GetInt32());
        Assert.Equal(Burst, problem.GetProperty("burst").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        limited.Dispose();
    }

    [Fact]
    public async Task A_district_beyond_its_concurrent_requests_and_queue_gets_429_while_another_district_is_served()
    {
        var ct = TestContext.Current.CancellationToken;
        using var busy = Client(oneAtATime, Key);
        using var quiet = Client(oneAtATime, OtherKey);
        var path = $"/api/v1/programs/{Guid.NewGuid()}";

        var burst = Enumerable.Range(0, 30).Select(_ => busy.GetAsync(path, ct)).ToList();
        using var other = await quiet.GetAsync(path, ct);
        var answers = await Task.WhenAll(burst);

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests }));
        var rejected = answers.FirstOrDefault(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(rejected);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After names a wait.");
        var problem = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal(1, problem.GetProperty("maxConcurrent").GetInt32());
        Assert.True(problem.TryGetProperty("permitsPerSecond", out _));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    static HttpClient Client(IsolatedService<ApiKeyStore> gateway, string key)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}

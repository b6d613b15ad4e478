using System.Net;
using Torace.Gateway.ApiKeys;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

/// <summary>A gateway of its own with a tiny limit, so exhausting it cannot disturb the other tests' districts.</summary>
public sealed class RateLimitTests(ToraceSystem system) : IAsyncLifetime
{
    const int PerMinute = 5;
    static readonly string Key = ApiKeyStore.NewKey();
    static readonly string OtherKey = ApiKeyStore.NewKey();

    readonly IsolatedService<ApiKeyStore> gateway = new(system, "gateway", new Dictionary<string, string>
    {
        ["Gateway:RequestsPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway:Districts:0:Name"] = "busy-district",
        ["Gateway:Districts:0:ApiKey"] = Key,
        ["Gateway:Districts:1:Name"] = "quiet-district",
        ["Gateway:Districts:1:ApiKey"] = OtherKey,
        ["services:programs:http:0"] = system.ServiceUrl("programs").ToString(),
    });

    public async ValueTask InitializeAsync() => await gateway.Prepare(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await gateway.DisposeAsync();

    [Fact]
    public async Task A_district_over_its_limit_gets_429_with_Retry_After_and_other_districts_are_unaffected()
    {
        var ct = TestContext.Current.CancellationToken;
        using var busy = gateway.CreateClient();
        busy.DefaultRequestHeaders.Add("X-Api-Key", Key);
        using var quiet = gateway.CreateClient();
        quiet.DefaultRequestHeaders.Add("X-Api-Key", OtherKey);
        var path = $"/api/v1/programs/{Guid.NewGuid()}";

        for (var i = 0; i < PerMinute; i++)
        {
            using var allowed = await busy.GetAsync(path, ct);
            Assert.Equal(HttpStatusCode.NotFound, allowed.StatusCode);
        }
        using var limited = await busy.GetAsync(path, ct);
        using var other = await quiet.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After names a wait.");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}

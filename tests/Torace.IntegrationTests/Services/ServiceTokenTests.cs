using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Tenancy;

namespace Torace.IntegrationTests.Services;

/// <summary>Services accept only the gateway's signed token: a direct call or a forged tenant header gets nothing.</summary>
public sealed class ServiceTokenTests(ToraceSystem system)
{
    [Fact]
    public async Task A_service_refuses_calls_without_the_gateways_token_and_scopes_the_token_to_its_district()
    {
        var ct = TestContext.Current.CancellationToken;
        var programId = await new DistrictApi(system.District("demo-a")).CreateOpenProgram($"Career moves {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(4), ct);
        var path = new Uri(system.ServiceUrl("programs"), $"/api/v1/programs/{programId}");
        using var http = new HttpClient();

        async Task<HttpStatusCode> Call(Action<HttpRequestMessage> prepare)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            prepare(request);
            using var response = await http.SendAsync(request, ct);
            return response.StatusCode;
        }
        string Token(string tenant, string key) => ServiceToken.Issue(new ServiceTokenOptions { SigningKey = key }, tenant, DateTimeOffset.UtcNow);
        var realKey = system.ServiceTokenKey;
        var otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        Assert.Equal(HttpStatusCode.Unauthorized, await Call(_ => { }));
        Assert.Equal(HttpStatusCode.Unauthorized, await Call(r => r.Headers.Add("X-Tenant-Id", "demo-a")));
        Assert.Equal(HttpStatusCode.Unauthorized, await Call(r => r.Headers.Add("X-Api-Key", system.ApiKeys["demo-a"])));
        Assert.Equal(HttpStatusCode.Unauthorized, await Call(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("demo-a", otherKey))));
        Assert.Equal(HttpStatusCode.NotFound, await Call(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("demo-b", realKey))));
        Assert.Equal(HttpStatusCode.OK, await Call(r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("demo-a", realKey))));
    }

    [Fact]
    public async Task A_service_refuses_a_participant_without_an_action_and_a_change_by_a_caller_with_only_read()
    {
        var ct = TestContext.Current.CancellationToken;
        var programId = await new DistrictApi(system.District("demo-a")).CreateOpenProgram($"Scoped {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(4), ct);
        var options = new ServiceTokenOptions { SigningKey = system.ServiceTokenKey };
        var enrolment = Guid.NewGuid();
        var participant = new Caller("demo-a", Actors.Participant, new HashSet<string>(), enrolment.ToString(), EnrolmentId: enrolment);
        var reader = new Caller("demo-a", Actors.Integrator, new HashSet<string> { Scopes.Read }, Guid.NewGuid().ToString());
        using var http = new HttpClient { BaseAddress = system.ServiceUrl("programs") };

        async Task<HttpResponseMessage> Send(HttpMethod method, string path, Caller caller, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceToken.Issue(options, caller, DateTimeOffset.UtcNow));
            return await http.SendAsync(request, ct);
        }

        using var participantRead = await Send(HttpMethod.Get, $"/api/v1/programs/{programId}", participant);
        using var readerCreate = await Send(HttpMethod.Post, "/api/v1/programs", reader, DistrictApi.ProgramBody("Not allowed", DateTimeOffset.UtcNow.AddDays(4)));
        using var readerRead = await Send(HttpMethod.Get, $"/api/v1/programs/{programId}", reader);

        Assert.Equal(HttpStatusCode.Forbidden, participantRead.StatusCode);
        Assert.Equal("application/problem+json", participantRead.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, readerCreate.StatusCode);
        Assert.Contains("'write'", await readerCreate.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, readerRead.StatusCode);
    }

    [Fact]
    public async Task A_forged_tenant_header_through_the_gateway_is_dropped()
    {
        var ct = TestContext.Current.CancellationToken;
        var programId = await new DistrictApi(system.District("demo-a")).CreateOpenProgram($"Data teams {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(4), ct);
        using var districtB = system.District("demo-b");
        districtB.DefaultRequestHeaders.Add("X-Tenant-Id", "demo-a");

        using var response = await districtB.GetAsync($"/api/v1/programs/{programId}", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

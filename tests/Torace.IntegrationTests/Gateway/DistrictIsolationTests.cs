using System.Net;
using System.Net.Http.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

public sealed class DistrictIsolationTests(ToraceSystem system)
{
    [Fact]
    public async Task A_request_without_a_key_or_with_an_unknown_key_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = new HttpClient { BaseAddress = system.Gateway };
        using var wrong = new HttpClient { BaseAddress = system.Gateway };
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "trc_not-a-key-anyone-was-given");

        using var missing = await anonymous.GetAsync($"/api/v1/programs/{Guid.NewGuid()}", ct);
        using var unknown = await wrong.PostAsJsonAsync("/api/v1/programs", DistrictApi.ProgramBody("Sneaky", DateTimeOffset.UtcNow), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task One_districts_key_can_neither_read_nor_change_another_districts_program()
    {
        var ct = TestContext.Current.CancellationToken;
        var districtA = new DistrictApi(system.District("demo-a"));
        var districtB = new DistrictApi(system.District("demo-b"));
        var programId = await districtA.CreateOpenProgram($"Family engagement {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);

        using var read = await districtB.Http.GetAsync($"/api/v1/programs/{programId}", ct);
        using var history = await districtB.Http.GetAsync($"/api/v1/programs/{programId}/history", ct);
        using var enrol = await districtB.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments",
            DistrictApi.Person("mentee", "intruder@b.example.org", "Elsewhere"), ct);
        using var run = await districtB.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs", null, ct);

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, enrol.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        var program = await districtA.Get($"/api/v1/programs/{programId}", ct);
        Assert.Equal(0, program.GetProperty("mentees").GetInt32());
    }
}

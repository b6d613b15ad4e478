using System.Net;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

/// <summary>
/// Lists under a program that another service serves (matches, engagements, notifications, waitlist, runs) answer 404
/// for a program that is not the district's, instead of an empty list from a service that never heard of it.
/// </summary>
public sealed class ProgramExistenceTests(ToraceSystem system)
{
    static readonly string[] ListsOfOtherServices = ["matches", "engagements", "attention", "notifications", "waitlist", "matching-runs"];

    [Fact]
    public async Task Another_districts_program_is_not_found_under_every_service()
    {
        var ct = TestContext.Current.CancellationToken;
        var districtA = new DistrictApi(system.District("demo-a"));
        using var districtB = system.District("demo-b");
        var programId = await districtA.CreateOpenProgram($"Career moves {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(9), ct);

        foreach (var list in ListsOfOtherServices)
        {
            using var response = await districtB.GetAsync($"/api/v1/programs/{programId}/{list}", ct);
            await AssertProblem(response, HttpStatusCode.NotFound, $"No program {programId} in this district.", ct);
        }
        using var own = await districtA.Http.GetAsync($"/api/v1/programs/{programId}/engagements", ct);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task An_unknown_program_is_not_found_and_a_zero_or_malformed_id_names_programId()
    {
        var ct = TestContext.Current.CancellationToken;
        using var district = system.District("demo-a");
        var unknown = Guid.NewGuid();

        foreach (var list in ListsOfOtherServices)
        {
            using var missing = await district.GetAsync($"/api/v1/programs/{unknown}/{list}", ct);
            await AssertProblem(missing, HttpStatusCode.NotFound, $"No program {unknown} in this district.", ct);
            foreach (var bad in new[] { Guid.Empty.ToString(), "not-a-program" })
            {
                using var invalid = await district.GetAsync($"/api/v1/programs/{bad}/{list}", ct);
                var problem = await AssertProblem(invalid, HttpStatusCode.BadRequest, null, ct);
                Assert.True(problem.GetProperty("errors").TryGetProperty("programId", out _), $"No error for programId on {bad}/{list}");
            }
        }
        // Starting a run belongs to Programs itself, which answers an all-zero id as the unknown program it is.
        using var startRun = await district.PostAsync($"/api/v1/programs/{Guid.Empty}/matching-runs", null, ct);
        await AssertProblem(startRun, HttpStatusCode.NotFound, null, ct);
    }

    static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? title, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri}: {response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        if (title is not null)
        {
            Assert.Equal(title, problem.GetProperty("title").GetString());
        }
        return problem;
    }
}

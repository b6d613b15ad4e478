using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Tenancy;
using static Torace.IntegrationTests.Fixture.GatewayKeys;

namespace Torace.IntegrationTests.Gateway;

/// <summary>The coordinator principal: the admin front end's signed token for a signed-in person of one district.</summary>
public sealed class CoordinatorTests(ToraceSystem system)
{
    HttpClient As(string district, string role, DateTimeOffset? at = null) =>
        system.WithLink(CoordinatorToken.Issue(Key(), district, $"user-{Guid.NewGuid():N}", role, at ?? DateTimeOffset.UtcNow));

    SymmetricSecurityKey Key() => SigningKey.From(system.CoordinatorSigningKey, "the test's key");

    [Fact]
    public async Task A_coordinator_reads_and_writes_their_own_district_only()
    {
        var ct = TestContext.Current.CancellationToken;
        using var coordinator = As("demo-a", CoordinatorToken.Coordinator);
        var theirs = await new DistrictApi(coordinator).CreateOpenProgram($"Coordinated {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(7), ct);
        var neighbours = await new DistrictApi(system.District("demo-b")).CreateProgram(DistrictApi.ProgramBody($"Not theirs {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(7)), ct);

        Assert.Equal("open", (await new DistrictApi(system.District("demo-a")).Get($"/api/v1/programs/{theirs}", ct)).GetProperty("status").GetString());
        using var other = await coordinator.GetAsync($"/api/v1/programs/{neighbours}", ct);
        using var otherEnrolments = await coordinator.GetAsync($"/api/v1/programs/{neighbours}/enrolments", ct);
        await Problem(other, HttpStatusCode.NotFound, ct);
        await Problem(otherEnrolments, HttpStatusCode.NotFound, ct);
    }

    [Fact]
    public async Task Only_a_district_admin_manages_api_keys()
    {
        var ct = TestContext.Current.CancellationToken;
        using var coordinator = As("demo-a", CoordinatorToken.Coordinator);
        using var districtAdmin = As("demo-a", CoordinatorToken.DistrictAdmin);

        using var refused = await coordinator.GetAsync(KeysPath, ct);
        using var allowed = await districtAdmin.GetAsync(KeysPath, ct);

        await Problem(refused, HttpStatusCode.Forbidden, ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_expired_or_too_long_lived_gets_401()
    {
        var ct = TestContext.Current.CancellationToken;
        var otherKey = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow;
        var tooLong = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = CoordinatorToken.Issuer,
            Audience = CoordinatorToken.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddDays(1).UtcDateTime,
            Claims = new Dictionary<string, object> { ["tenant"] = "demo-a", ["sub"] = "someone", ["role"] = CoordinatorToken.DistrictAdmin },
            SigningCredentials = new SigningCredentials(Key(), SecurityAlgorithms.HmacSha256),
        });

        foreach (var token in new[]
        {
            CoordinatorToken.Issue(otherKey, "demo-a", "someone", CoordinatorToken.DistrictAdmin, now),
            CoordinatorToken.Issue(Key(), "demo-a", "someone", CoordinatorToken.DistrictAdmin, now.AddMinutes(-10)),
            tooLong,
        })
        {
            using var caller = system.WithLink(token);
            using var response = await caller.GetAsync("/api/v1/programs", ct);
            await Problem(response, HttpStatusCode.Unauthorized, ct);
        }
    }
}

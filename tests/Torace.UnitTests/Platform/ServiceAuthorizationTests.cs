using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.UnitTests.Platform;

/// <summary>A minimal service with the real ServiceApi wiring, in memory, with endpoints marked as services mark theirs.</summary>
public sealed class MinimalService : IAsyncLifetime
{
    public ServiceTokenOptions Tokens { get; } = new() { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
    WebApplication? app;

    public sealed record DeclineBody(Guid? EnrolmentId);

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.Configuration["ServiceToken:SigningKey"] = Tokens.SigningKey;
        builder.AddServiceDefaults();
        builder.AddServiceApi();
        app = builder.Build();
        app.UseServiceApi();
        app.MapMethods("/things", [HttpMethods.Get, HttpMethods.Head], () => "read");
        app.MapPost("/things", () => "written");
        app.MapDelete("/things", () => "deleted").RequireScope(Scopes.Admin);
        app.MapPost("/matches/{matchId:guid}/decline", (Guid matchId, DeclineBody body, ClaimsPrincipal user) =>
                user.Caller().ActingFor(body.EnrolmentId) is { } enrolment
                    ? Results.Ok(enrolment)
                    : Results.ValidationProblem(new Dictionary<string, string[]> { ["enrolmentId"] = ["'enrolmentId' is required."] }))
            .AllowParticipant(ParticipantActions.DeclineMatch);
        await app.StartAsync(TestContext.Current.CancellationToken);
    }

    public HttpClient Client(string? token)
    {
        var client = app!.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public HttpClient As(Caller caller) => Client(ServiceToken.Issue(Tokens, caller, DateTimeOffset.UtcNow));

    /// <summary>A token the gateway would never mint (its claims chosen by the test), signed with the service key.</summary>
    public HttpClient WithClaims(Dictionary<string, object> claims) => Client(new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Tokens.Issuer,
        Audience = Tokens.Audience,
        Expires = DateTime.UtcNow.AddMinutes(1),
        Claims = claims,
        SigningCredentials = new SigningCredentials(Tokens.Key(), SecurityAlgorithms.HmacSha256),
    }));

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}

public sealed class ServiceAuthorizationTests(MinimalService service) : IClassFixture<MinimalService>
{
    static readonly Guid Enrolment = Guid.NewGuid();

    static Caller Integrator(params string[] scopes) => new("demo-a", Actors.Integrator, scopes.ToHashSet(), "key-1");

    static Caller Participant(string? action) => new("demo-a", Actors.Participant, new HashSet<string>(), Enrolment.ToString(),
        EnrolmentId: Enrolment, Action: action) { ActionExpiresAt = DateTimeOffset.UtcNow.AddHours(1) };

    static string Decline => $"/matches/{Guid.NewGuid()}/decline";

    static async Task<JsonElement> AssertRefused(HttpResponseMessage response, string detailMentions)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        var said = problem.GetProperty(problem.TryGetProperty("detail", out _) ? "detail" : "title").GetString();
        Assert.Contains(detailMentions, said, StringComparison.Ordinal);
        return problem;
    }

    [Fact]
    public async Task A_caller_with_read_may_get_but_a_change_is_refused_naming_the_write_scope()
    {
        var ct = TestContext.Current.CancellationToken;
        using var reader = service.As(Integrator(Scopes.Read));

        using var get = await reader.GetAsync("/things", ct);
        using var head = await reader.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/things"), ct);
        using var post = await reader.PostAsync("/things", null, ct);
        using var unknown = await reader.PostAsync($"/things/{Guid.NewGuid()}/nowhere", null, ct);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        var problem = await AssertRefused(post, "'write'");
        Assert.Equal(["write"], problem.GetProperty("missingScopes").EnumerateArray().Select(s => s.GetString()));
        await AssertRefused(unknown, "'write'");
    }

    [Fact]
    public async Task A_caller_with_write_but_not_read_may_change_but_not_read()
    {
        var ct = TestContext.Current.CancellationToken;
        using var writer = service.As(Integrator(Scopes.Write));

        using var post = await writer.PostAsync("/things", null, ct);
        using var get = await writer.GetAsync("/things", ct);

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        await AssertRefused(get, "'read'");
    }

    [Fact]
    public async Task An_endpoint_marked_admin_needs_admin_as_well_as_the_scope_of_its_method()
    {
        var ct = TestContext.Current.CancellationToken;

        using var writeOnly = await service.As(Integrator(Scopes.Read, Scopes.Write)).DeleteAsync("/things", ct);
        using var adminOnly = await service.As(Integrator(Scopes.Admin)).DeleteAsync("/things", ct);
        using var both = await service.As(Integrator(Scopes.Write, Scopes.Admin)).DeleteAsync("/things", ct);

        await AssertRefused(writeOnly, "'admin'");
        await AssertRefused(adminOnly, "'write'");
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
    }

    [Fact]
    public async Task A_participant_may_call_only_an_endpoint_marked_for_its_action()
    {
        var ct = TestContext.Current.CancellationToken;
        using var participant = service.As(Participant(ParticipantActions.DeclineMatch));

        using var read = await participant.GetAsync("/things", ct);
        using var write = await participant.PostAsync("/things", null, ct);
        using var decline = await participant.PostAsJsonAsync(Decline, new { }, ct);

        await AssertRefused(read, "'decline-match'");
        await AssertRefused(write, "'decline-match'");
        Assert.Equal(HttpStatusCode.OK, decline.StatusCode);
        Assert.Equal(Enrolment, await decline.Content.ReadFromJsonAsync<Guid>(ct));
    }

    [Fact]
    public async Task A_participant_with_another_action_or_none_is_refused_on_a_marked_endpoint()
    {
        var ct = TestContext.Current.CancellationToken;

        using var otherAction = await service.As(Participant(ParticipantActions.SubmitTouchpoint)).PostAsJsonAsync(Decline, new { }, ct);
        using var noAction = await service.As(Participant(null)).PostAsJsonAsync(Decline, new { }, ct);

        await AssertRefused(otherAction, "'submit-touchpoint'");
        await AssertRefused(noAction, "without an action");
    }

    [Fact]
    public async Task A_participant_whose_link_has_expired_is_refused_even_with_a_live_token()
    {
        var ct = TestContext.Current.CancellationToken;
        using var expired = service.WithClaims(new()
        {
            [ServiceToken.TenantClaim] = "demo-a",
            [ServiceToken.ActorClaim] = Actors.Participant,
            [ServiceToken.EnrolmentClaim] = Enrolment.ToString(),
            [ServiceToken.ActionClaim] = ParticipantActions.DeclineMatch,
            [ServiceToken.ActionExpiresClaim] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        using var decline = await expired.PostAsJsonAsync(Decline, new { }, ct);

        await AssertRefused(decline, "expired");
    }

    [Fact]
    public async Task A_participant_naming_another_enrolment_is_forbidden_and_another_caller_must_name_one()
    {
        var ct = TestContext.Current.CancellationToken;

        using var participant = await service.As(Participant(ParticipantActions.DeclineMatch)).PostAsJsonAsync(Decline, new { enrolmentId = Guid.NewGuid() }, ct);
        using var integrator = await service.As(Integrator(Scopes.Write)).PostAsJsonAsync(Decline, new { }, ct);

        await AssertRefused(participant, "own enrolment");
        Assert.Equal(HttpStatusCode.BadRequest, integrator.StatusCode);
    }

    [Fact]
    public async Task A_token_naming_no_actor_is_refused_and_no_token_is_unauthenticated()
    {
        var ct = TestContext.Current.CancellationToken;

        using var noActor = await service.WithClaims(new() { [ServiceToken.TenantClaim] = "demo-a" }).GetAsync("/things", ct);
        using var anonymous = await service.Client(null).GetAsync("/things", ct);

        await AssertRefused(noActor, "no district or actor");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_stay_anonymous()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = service.Client(null);

        using var alive = await anonymous.GetAsync("/alive", ct);
        using var openApi = await anonymous.GetAsync("/openapi/v1.json", ct);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
    }

    [Fact]
    public void Marking_an_endpoint_with_an_unknown_scope_or_action_fails_at_start_up()
    {
        var builder = WebApplication.CreateBuilder();
        var app = builder.Build();

        Assert.Throws<ArgumentException>(() => app.MapGet("/x", () => "").RequireScope("superuser"));
        Assert.Throws<ArgumentException>(() => app.MapGet("/y", () => "").AllowParticipant("delete-everything"));
    }
}

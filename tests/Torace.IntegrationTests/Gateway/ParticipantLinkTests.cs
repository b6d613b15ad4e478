using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Torace.Gateway;
using Torace.Gateway.ParticipantLinks;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Tenancy;
using static Torace.IntegrationTests.Fixture.GatewayKeys;

namespace Torace.IntegrationTests.Gateway;

/// <summary>A participant link is a principal of its own: one enrolment, one action, until it expires.</summary>
public sealed class ParticipantLinkTests(ToraceSystem system)
{
    const string Links = "/api/v1/participant-links";

    async Task<(string Token, JsonElement Answer)> MintLink(HttpClient issuer, Guid enrolmentId, string action, CancellationToken ct)
    {
        using var response = await issuer.PostAsJsonAsync(Links, new { enrolmentId, action }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        var answer = JsonDocument.Parse(body).RootElement.Clone();
        return (answer.GetProperty("token").GetString()!, answer);
    }

    [Fact]
    public async Task A_decline_link_is_refused_on_reading_the_program_and_on_an_endpoint_not_marked_for_its_action()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var programId = await new DistrictApi(admin).CreateOpenProgram($"Linked {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(2), ct);
        var (token, answer) = await MintLink(admin, Guid.NewGuid(), ParticipantActions.DeclineMatch, ct);
        Assert.InRange(answer.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(167), DateTimeOffset.UtcNow.AddHours(169));
        using var participant = system.WithLink(token);

        using var program = await participant.GetAsync($"/api/v1/programs/{programId}", ct);
        using var complete = await participant.PostAsync($"/api/v1/engagements/{Guid.NewGuid()}/sessions/1/complete", null, ct);
        using var keys = await participant.GetAsync(KeysPath, ct);
        using var moreLinks = await participant.PostAsJsonAsync(Links, new { enrolmentId = Guid.NewGuid(), action = ParticipantActions.DeclineMatch }, ct);

        Assert.Contains("'decline-match'", (await Problem(program, HttpStatusCode.Forbidden, ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Problem(complete, HttpStatusCode.Forbidden, ct);
        await Problem(keys, HttpStatusCode.Forbidden, ct);
        await Problem(moreLinks, HttpStatusCode.Forbidden, ct);
    }

    [Fact]
    public async Task A_tampered_or_expired_link_gets_401()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var (token, _) = await MintLink(admin, Guid.NewGuid(), ParticipantActions.SubmitTouchpoint, ct);
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[1]));
        var forged = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(payload)!;
        forged["enrolment"] = JsonSerializer.SerializeToElement(Guid.NewGuid().ToString());
        var tampered = $"{parts[0]}.{Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(forged))}.{parts[2]}";
        var expired = new ParticipantLinkSigner(SigningKey.From(system.LinkSigningKey, ParticipantLinkSigner.KeySetting))
            .Issue("demo-a", Guid.NewGuid(), ParticipantActions.SubmitTouchpoint, TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddHours(-2)).Token;
        var path = $"/api/v1/engagements/{Guid.NewGuid()}/touchpoints/{Guid.NewGuid()}/submission";

        using var withTampered = await system.WithLink(tampered).PostAsJsonAsync(path, new { response = "x" }, ct);
        using var withExpired = await system.WithLink(expired).PostAsJsonAsync(path, new { response = "x" }, ct);
        using var withGarbage = await system.WithLink("not.a.token").GetAsync($"/api/v1/programs/{Guid.NewGuid()}", ct);

        Assert.Contains("signature", (await Problem(withTampered, HttpStatusCode.Unauthorized, ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("expired", (await Problem(withExpired, HttpStatusCode.Unauthorized, ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Problem(withGarbage, HttpStatusCode.Unauthorized, ct);
    }

    [Fact]
    public async Task A_service_token_is_no_link_and_a_link_with_a_key_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var (token, _) = await MintLink(admin, Guid.NewGuid(), ParticipantActions.DeclineMatch, ct);
        var serviceToken = ServiceToken.Issue(new ServiceTokenOptions { SigningKey = system.ServiceTokenKey }, "demo-a", DateTimeOffset.UtcNow);
        using var both = system.WithLink(token);
        both.DefaultRequestHeaders.Add("X-Api-Key", system.ApiKeys["demo-a"]);

        using var asService = await system.WithLink(serviceToken).GetAsync($"/api/v1/programs/{Guid.NewGuid()}", ct);
        using var withBoth = await both.GetAsync($"/api/v1/programs/{Guid.NewGuid()}", ct);

        await Problem(asService, HttpStatusCode.Unauthorized, ct);
        await Problem(withBoth, HttpStatusCode.Unauthorized, ct);
    }

    [Fact]
    public async Task Only_a_caller_with_write_may_mint_links_and_bad_input_gets_400_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var reader = await admin.CreateKey($"links reader {Guid.NewGuid():N}", ["read"], ct);

        using var byReader = await system.WithKey(reader.Key).PostAsJsonAsync(Links, new { enrolmentId = Guid.NewGuid(), action = "decline-match" }, ct);
        await Problem(byReader, HttpStatusCode.Forbidden, ct);

        async Task Names(object body, string field)
        {
            using var response = await admin.PostAsJsonAsync(Links, body, ct);
            var problem = await Problem(response, HttpStatusCode.BadRequest, ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"No error for '{field}' in {problem}");
        }
        await Names(new { action = "decline-match" }, "enrolmentId");
        await Names(new { enrolmentId = Guid.Empty, action = "decline-match" }, "enrolmentId");
        await Names(new { enrolmentId = Guid.NewGuid(), action = "delete-everything" }, "action");
        await Names(new { enrolmentId = Guid.NewGuid(), action = "decline-match", expiresInHours = 0 }, "expiresInHours");
        await Names(new { enrolmentId = Guid.NewGuid(), action = "decline-match", expiresInHours = 721 }, "expiresInHours");
        await Names(new { enrolmentId = "someone", action = "decline-match" }, "enrolmentId");
    }

    static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}

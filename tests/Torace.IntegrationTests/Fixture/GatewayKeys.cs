using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Torace.IntegrationTests.Fixture;

/// <summary>A key the gateway just issued: its id, the key itself and the whole answer.</summary>
public sealed record IssuedKey(Guid Id, string Key, JsonElement Answer);

/// <summary>Managing a district's API keys and calling with them, as a district admin does.</summary>
public static class GatewayKeys
{
    public const string KeysPath = "/api/v1/api-keys";

    /// <summary>A gateway client calling with this key.</summary>
    public static HttpClient WithKey(this ToraceSystem system, string key)
    {
        var client = new HttpClient { BaseAddress = system.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>A gateway client calling with a participant link.</summary>
    public static HttpClient WithLink(this ToraceSystem system, string token)
    {
        var client = new HttpClient { BaseAddress = system.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A participant link for one person and one action, as the district issues it (the token in its answer).</summary>
    public static async Task<string> ParticipantLink(
        this ToraceSystem system, Guid enrolmentId, string action, CancellationToken ct, string district = "demo-a", string? target = null)
    {
        using var client = system.District(district);
        using var response = await client.PostAsJsonAsync("/api/v1/participant-links", new { enrolmentId, action, target }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    public static async Task<IssuedKey> CreateKey(this HttpClient admin, string name, string[] scopes, CancellationToken ct)
    {
        using var response = await admin.PostAsJsonAsync(KeysPath, new { name, scopes }, ct);
        return await Issued(response, ct);
    }

    public static async Task<IssuedKey> Issued(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {response.StatusCode}: {body}");
        var answer = JsonDocument.Parse(body).RootElement.Clone();
        return new IssuedKey(answer.GetProperty("id").GetGuid(), answer.GetProperty("key").GetString()!, answer);
    }

    /// <summary>Every key the district has, following the pages' next links.</summary>
    public static async Task<IReadOnlyList<JsonElement>> AllKeys(this HttpClient admin, CancellationToken ct)
    {
        var keys = new List<JsonElement>();
        for (string? next = $"{KeysPath}?limit=500"; next is not null;)
        {
            var page = await admin.GetFromJsonAsync<JsonElement>(next, ct);
            keys.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("next").GetString();
        }
        return keys;
    }

    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == expected, $"Expected {expected}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;
using static Torace.IntegrationTests.Fixture.GatewayKeys;

namespace Torace.IntegrationTests.Gateway;

/// <summary>A district admin creates, lists, rotates and revokes the district's keys; nobody else can.</summary>
public sealed class ApiKeyManagementTests(ToraceSystem system)
{
    static string Unique(string what) => $"{what} {Guid.NewGuid():N}";

    [Fact]
    public async Task A_key_without_the_admin_scope_cannot_manage_keys()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var someKey = await admin.CreateKey(Unique("target"), ["read"], ct);
        var integrator = await admin.CreateKey(Unique("sync"), ["read", "write"], ct);
        using var client = system.WithKey(integrator.Key);

        HttpResponseMessage[] refused =
        [
            await client.PostAsJsonAsync(KeysPath, new { name = "mine now", scopes = new[] { "admin" } }, ct),
            await client.GetAsync(KeysPath, ct),
            await client.GetAsync($"{KeysPath}/{someKey.Id}", ct),
            await client.PostAsJsonAsync($"{KeysPath}/{someKey.Id}/rotate", new { gracePeriodHours = 0 }, ct),
            await client.DeleteAsync($"{KeysPath}/{someKey.Id}", ct),
        ];

        foreach (var response in refused)
        {
            var problem = await Problem(response, HttpStatusCode.Forbidden, ct);
            Assert.Contains("'admin'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            response.Dispose();
        }
        Assert.Equal("active", (await admin.GetFromJsonAsync<JsonElement>($"{KeysPath}/{someKey.Id}", ct)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_district_admin_creates_lists_uses_rotates_and_revokes_a_key()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var programId = await new DistrictApi(admin).CreateOpenProgram(Unique("Keys program"), DateTimeOffset.UtcNow.AddDays(3), ct);
        var name = Unique("HR sync");

        using var created = await admin.PostAsJsonAsync(KeysPath, new { name, scopes = new[] { "write", "read" } }, ct);
        var first = await Issued(created, ct);
        Assert.Equal($"{KeysPath}/{first.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(name, first.Answer.GetProperty("name").GetString());
        Assert.Equal(["read", "write"], first.Answer.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, first.Answer.GetProperty("expiresAt").ValueKind);
        Assert.StartsWith("trc_", first.Key, StringComparison.Ordinal);

        var listed = (await admin.AllKeys(ct)).Single(k => k.GetProperty("id").GetGuid() == first.Id);
        Assert.False(listed.TryGetProperty("key", out _), "A listed key never shows the key.");
        var prefix = listed.GetProperty("prefix").GetString()!;
        Assert.True(prefix.Length is >= 8 and < 20 && first.Key.StartsWith(prefix, StringComparison.Ordinal), $"prefix {prefix}");
        Assert.DoesNotContain(first.Key, (await admin.GetStringAsync(KeysPath + "?limit=500", ct)), StringComparison.Ordinal);

        async Task<HttpStatusCode> Read(string key)
        {
            using var client = system.WithKey(key);
            using var response = await client.GetAsync($"/api/v1/programs/{programId}", ct);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await Read(first.Key));

        using var rotated = await admin.PostAsJsonAsync($"{KeysPath}/{first.Id}/rotate", new { gracePeriodHours = 24 }, ct);
        var second = await Issued(rotated, ct);
        Assert.Equal(name, second.Answer.GetProperty("name").GetString());
        Assert.Equal(["read", "write"], second.Answer.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(first.Id, second.Answer.GetProperty("rotatedFrom").GetGuid());
        Assert.Equal(HttpStatusCode.OK, await Read(first.Key));
        Assert.Equal(HttpStatusCode.OK, await Read(second.Key));
        var old = await admin.GetFromJsonAsync<JsonElement>($"{KeysPath}/{first.Id}", ct);
        Assert.InRange(old.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));

        using var rotatedAtOnce = await admin.PostAsJsonAsync($"{KeysPath}/{second.Id}/rotate", new { gracePeriodHours = 0 }, ct);
        var third = await Issued(rotatedAtOnce, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, await Read(second.Key));
        Assert.Equal(HttpStatusCode.OK, await Read(third.Key));
        Assert.Equal("expired", (await admin.GetFromJsonAsync<JsonElement>($"{KeysPath}/{second.Id}", ct)).GetProperty("status").GetString());
        using var rotateExpired = await admin.PostAsJsonAsync($"{KeysPath}/{second.Id}/rotate", new { gracePeriodHours = 0 }, ct);
        await Problem(rotateExpired, HttpStatusCode.Conflict, ct);

        using var revoked = await admin.DeleteAsync($"{KeysPath}/{third.Id}", ct);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var revokedClient = system.WithKey(third.Key);
        using var refused = await revokedClient.GetAsync($"/api/v1/programs/{programId}", ct);
        await Problem(refused, HttpStatusCode.Unauthorized, ct);
        Assert.Equal("revoked", (await admin.GetFromJsonAsync<JsonElement>($"{KeysPath}/{third.Id}", ct)).GetProperty("status").GetString());
        using var revokedAgain = await admin.DeleteAsync($"{KeysPath}/{third.Id}", ct);
        Assert.Equal(HttpStatusCode.NoContent, revokedAgain.StatusCode);
    }

    [Fact]
    public async Task Another_district_can_neither_see_nor_rotate_nor_revoke_a_districts_keys()
    {
        var ct = TestContext.Current.CancellationToken;
        using var districtA = system.District("demo-a");
        using var districtB = system.District("demo-b");
        var keyOfA = await districtA.CreateKey(Unique("A's key"), ["read"], ct);

        using var read = await districtB.GetAsync($"{KeysPath}/{keyOfA.Id}", ct);
        using var rotate = await districtB.PostAsJsonAsync($"{KeysPath}/{keyOfA.Id}/rotate", new { gracePeriodHours = 0 }, ct);
        using var revoke = await districtB.DeleteAsync($"{KeysPath}/{keyOfA.Id}", ct);
        var listedForB = await districtB.AllKeys(ct);

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rotate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.DoesNotContain(listedForB, k => k.GetProperty("id").GetGuid() == keyOfA.Id);
        using var stillWorks = system.WithKey(keyOfA.Key);
        using var response = await stillWorks.GetAsync($"/api/v1/programs/{Guid.NewGuid()}", ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // authenticated: the program, not the key, is unknown
    }

    [Fact]
    public async Task The_key_list_comes_a_page_at_a_time_through_next_links()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-b");
        for (var i = 0; i < 3; i++)
        {
            await admin.CreateKey(Unique($"paged {i}"), ["read"], ct);
        }

        var first = await admin.GetFromJsonAsync<JsonElement>($"{KeysPath}?limit=2", ct);
        var next = first.GetProperty("next").GetString()!;
        var second = await admin.GetFromJsonAsync<JsonElement>(next, ct);

        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.True(first.GetProperty("total").GetInt64() >= 4, "demo-b's development key and the three created here");
        Assert.StartsWith($"{KeysPath}?limit=2&cursor=", next, StringComparison.Ordinal);
        var firstIds = first.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("id").GetGuid()).ToHashSet();
        Assert.DoesNotContain(second.GetProperty("items").EnumerateArray(), k => firstIds.Contains(k.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Bad_key_management_input_gets_400_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var key = await admin.CreateKey(Unique("bad input target"), ["read"], ct);

        async Task Names(Task<HttpResponseMessage> sending, string field)
        {
            using var response = await sending;
            var problem = await Problem(response, HttpStatusCode.BadRequest, ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"No error for '{field}' in {problem}");
        }

        await Names(admin.PostAsJsonAsync(KeysPath, new { name = "x", scopes = new[] { "read", "superuser" } }, ct), "scopes[1]");
        await Names(admin.PostAsJsonAsync(KeysPath, new { name = "x", scopes = Array.Empty<string>() }, ct), "scopes");
        await Names(admin.PostAsJsonAsync(KeysPath, new { name = "x" }, ct), "scopes");
        await Names(admin.PostAsJsonAsync(KeysPath, new { name = "  ", scopes = new[] { "read" } }, ct), "name");
        await Names(admin.PostAsJsonAsync(KeysPath, new { name = new string('n', 101), scopes = new[] { "read" } }, ct), "name");
        await Names(admin.PostAsJsonAsync(KeysPath, new { name = "x", scopes = "read" }, ct), "scopes");
        await Names(admin.PostAsJsonAsync($"{KeysPath}/{key.Id}/rotate", new { gracePeriodHours = 721 }, ct), "gracePeriodHours");
        await Names(admin.PostAsJsonAsync($"{KeysPath}/{key.Id}/rotate", new { gracePeriodHours = -1 }, ct), "gracePeriodHours");
        await Names(admin.PostAsJsonAsync($"{KeysPath}/not-a-guid/rotate", new { gracePeriodHours = 1 }, ct), "keyId");
        await Names(admin.GetAsync($"{KeysPath}/not-a-guid", ct), "keyId");
        await Names(admin.DeleteAsync($"{KeysPath}/not-a-guid", ct), "keyId");
        await Names(admin.GetAsync($"{KeysPath}?limit=0", ct), "limit");
        await Names(admin.GetAsync($"{KeysPath}?limit=501", ct), "limit");
        await Names(admin.GetAsync($"{KeysPath}?limit=ten", ct), "limit");
        await Names(admin.GetAsync($"{KeysPath}?cursor=not-a-cursor", ct), "cursor");

        using var unknown = await admin.DeleteAsync($"{KeysPath}/{Guid.NewGuid()}", ct);
        using var unknownRotate = await admin.PostAsJsonAsync($"{KeysPath}/{Guid.NewGuid()}/rotate", new { }, ct);
        await Problem(unknown, HttpStatusCode.NotFound, ct);
        await Problem(unknownRotate, HttpStatusCode.NotFound, ct);
    }
}

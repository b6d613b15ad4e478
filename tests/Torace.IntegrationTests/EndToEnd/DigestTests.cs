using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.EndToEnd;

/// <summary>
/// The coordinator's daily digest: a program's new match is in its preview, then in one email to each recipient once
/// the district's hour has come (the tests run the Hangfire job every 5 s), and only once that day however often the
/// job runs. The settings answer 400 naming the field, and each district sees only its own.
/// </summary>
public sealed class DigestTests(ToraceSystem system)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Settings = "/api/v1/settings/digest";

    [Fact]
    public async Task A_districts_coordinators_get_one_digest_a_day_per_program_with_its_news()
    {
        // demo-b: no other test sets its digest, so it goes out exactly when this test says.
        var api = new DistrictApi(system.District("demo-b"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var programId = await api.CreateOpenProgram($"Digest {tag}", DateTimeOffset.UtcNow.AddDays(10), Ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"maria.{tag}@b.example.org", "Lincoln", capacity: 1), Ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", $"sam.{tag}@b.example.org", "Roosevelt"), Ct);
        var run = await api.RunMatching(programId, expectedProposals: 1);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, Ct)).EnsureSuccessStatusCode();

        var preview = await Eventually.Until(t => api.Get($"/api/v1/programs/{programId}/notifications/digest", t),
            p => p.GetProperty("items").GetArrayLength() == 1, "the new match in the digest's preview");
        Assert.Equal("new-match", preview.GetProperty("items")[0].GetProperty("kind").GetString());
        Assert.Contains($"maria.{tag} (Lincoln) with sam.{tag} (Roosevelt)", preview.GetProperty("items")[0].GetProperty("text").GetString());
        Assert.StartsWith($"Daily digest: Digest {tag}", preview.GetProperty("subject").GetString());

        var coordinators = new[] { $"lead.{tag}@b.example.org", $"deputy.{tag}@b.example.org" };
        using (var set = await api.Http.PutAsJsonAsync(Settings, new { recipients = coordinators, hour = 0, timeZone = "UTC" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        var digests = await Eventually.Until(async t => (await system.Emails(t)).Where(e => e.Subject.StartsWith($"Daily digest: Digest {tag}", StringComparison.Ordinal)).ToList(),
            e => e.Count >= 2, "a digest to each coordinator");
        Assert.Equal(coordinators.Order(), digests.SelectMany(d => d.To.Select(a => a.Address)).Order());
        Assert.All(digests, d => Assert.Contains($"maria.{tag} (Lincoln) with sam.{tag} (Roosevelt)", d.Html));

        // The job runs every 5 s: a day's digest still goes out once, and the next starts where it stopped.
        await Task.Delay(TimeSpan.FromSeconds(15), Ct);
        Assert.Equal(2, (await system.Emails(Ct)).Count(e => e.Subject.StartsWith($"Daily digest: Digest {tag}", StringComparison.Ordinal)));
        Assert.Equal(JsonValueKind.String, (await api.Get(Settings, Ct)).GetProperty("coveredUntil").ValueKind);
        var after = await api.Get($"/api/v1/programs/{programId}/notifications/digest", Ct);
        Assert.Equal((0, JsonValueKind.Null), (after.GetProperty("items").GetArrayLength(), after.GetProperty("subject").ValueKind));

        // Each district sees its own settings only.
        Assert.DoesNotContain((await new DistrictApi(system.District("demo-a")).Get(Settings, Ct)).GetProperty("recipients").EnumerateArray(),
            r => r.GetString()!.Contains(tag, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Digest_settings_that_cannot_work_answer_400_naming_each_field()
    {
        using var district = system.District("demo-a");

        using var bad = await district.PutAsJsonAsync(Settings, new { recipients = new[] { "not an address" }, hour = 24, timeZone = "Mars/Olympus" }, Ct);
        using var missing = await district.PutAsJsonAsync(Settings, new { hour = 7, timeZone = "UTC" }, Ct);

        var problem = await GatewayKeys.Problem(bad, HttpStatusCode.BadRequest, Ct);
        Assert.Equal(["hour", "recipients", "timeZone"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(["recipients"], (await GatewayKeys.Problem(missing, HttpStatusCode.BadRequest, Ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }
}

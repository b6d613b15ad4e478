using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

/// <summary>
/// The personal data read audit, derived from the public document: every GET it lists is called with the ids of one
/// mentoring path (as JSON, and as CSV where the document offers it), and each answer that holds a person's name, email or
/// external id (three different things here, so none stands in for another) must have been audited, naming every such
/// person, the caller and the endpoint. A new endpoint is called as soon as the document lists it; one with a parameter
/// this test cannot fill fails it until it learns how.
/// </summary>
public sealed class PersonalDataAuditTests(ToraceSystem system)
{
    [Fact]
    public async Task Every_read_that_returns_a_persons_data_is_audited_and_the_audit_is_for_admins_append_only_and_audited_itself()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..10];
        var mentorEmail = $"audit-mentor-{tag}@a.example.org";
        var menteeEmail = $"audit-mentee-{tag}@a.example.org";
        var webhook = await a.Http.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/audit", eventTypes = new[] { "participant.enrolled" } }, ct);
        var webhookId = JsonDocument.Parse(await webhook.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetGuid();
        try
        {
            var program = await a.CreateOpenProgram($"Audit {tag}", DateTimeOffset.UtcNow.AddDays(10), ct);
            string[] mentorMarks = [mentorEmail, $"HR-M-{tag}", $"Marisol Audit{tag}"];
            string[] menteeMarks = [menteeEmail, $"HR-E-{tag}", $"Eduardo Audit{tag}"];
            var mentor = await a.Enrol(program, DistrictApi.Person("mentor", mentorEmail, "Lincoln", capacity: 1, externalId: mentorMarks[1], name: mentorMarks[2]), ct);
            var mentee = await a.Enrol(program, DistrictApi.Person("mentee", menteeEmail, "Hoover", externalId: menteeMarks[1], name: menteeMarks[2]), ct);
            var run = (await a.RunMatching(program, 1)).GetProperty("id").GetGuid();
            (await a.Http.PostAsJsonAsync($"/api/v1/programs/{program}/matching-runs/{run}/publish", new { }, ct)).EnsureSuccessStatusCode();
            var engagement = await Eventually.Until(t => a.Items($"/api/v1/programs/{program}/engagements", t), e => e.GetArrayLength() == 1, "the engagement", 60);
            var import = await a.Http.PostAsJsonAsync($"/api/v1/programs/{program}/enrolments/import",
                Enumerable.Range(0, 1_001).Select(i => DistrictApi.Person("mentee", $"audit-import-{i}-{tag}@a.example.org", "Hoover")), ct);
            Assert.Equal(HttpStatusCode.Accepted, import.StatusCode);
            var delivery = await Eventually.Until(t => a.Items($"/api/v1/webhooks/{webhookId}/deliveries", t), d => d.GetArrayLength() > 0, "a webhook delivery", 60);
            var ids = new Dictionary<string, string>
            {
                ["programId"] = program.ToString(),
                ["enrolmentId"] = mentee.ToString(),
                ["runId"] = run.ToString(),
                ["matchId"] = (await a.Items($"/api/v1/programs/{program}/matches", ct))[0].GetProperty("id").GetString()!,
                ["engagementId"] = engagement[0].GetProperty("id").GetString()!,
                ["externalId"] = menteeMarks[1],
                ["importId"] = JsonDocument.Parse(await import.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString()!,
                ["keyId"] = (await a.Items("/api/v1/api-keys", ct))[0].GetProperty("id").GetString()!,
                ["webhookId"] = webhookId.ToString(),
                ["deliveryId"] = delivery[0].GetProperty("id").GetString()!,
                ["kind"] = "match",
            };
            using var anonymous = new HttpClient { BaseAddress = system.Gateway };
            var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", ct);
            var people = new[] { (Enrolment: mentor, Marks: mentorMarks), (Enrolment: mentee, Marks: menteeMarks) };

            var personal = new List<string>();
            var unaudited = new List<string>();
            foreach (var (path, operation) in document.GetProperty("paths").EnumerateObject()
                .Where(p => p.Value.TryGetProperty("get", out _)).Select(p => (p.Name, Operation: p.Value.GetProperty("get"))))
            {
                var missing = Placeholders(path).Where(p => !ids.ContainsKey(p)).ToList();
                Assert.True(missing.Count == 0, $"GET {path} takes {string.Join(", ", missing)}, which this test cannot fill yet: give it an id from the path above.");
                var url = Placeholders(path).Aggregate(path, (u, p) => u.Replace($"{{{p}}}", Uri.EscapeDataString(ids[p]), StringComparison.Ordinal));
                url += url.Contains("webhooks", StringComparison.Ordinal) || url.EndsWith("api-keys", StringComparison.Ordinal) ? "" : "?limit=500";
                var offersCsv = operation.TryGetProperty("responses", out var responses) && responses.TryGetProperty("200", out var ok)
                    && ok.TryGetProperty("content", out var content) && content.TryGetProperty("text/csv", out _);
                foreach (var accept in offersCsv ? new[] { "application/json", "text/csv" } : ["application/json"])
                {
                    var before = DateTimeOffset.UtcNow;
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Accept.ParseAdd(accept);
                    using var response = await a.Http.SendAsync(request, ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    var whose = people.Where(p => p.Marks.Any(m => body.Contains(m, StringComparison.OrdinalIgnoreCase))).ToList();
                    if (!response.IsSuccessStatusCode || whose.Count == 0)
                    {
                        continue;
                    }
                    var read = $"{path} ({accept})";
                    personal.Add(read);
                    var template = string.Join('/', path.Split('/').Select(s => s.StartsWith('{') ? (s == "{externalId}" ? s : s == "{number}" ? s : "{id}") : s));
                    // Every person the answer shows must be named in its entry, found by any of their keys.
                    foreach (var (enrolment, marks) in whose)
                    {
                        // From the moment this request was sent: the same endpoint's read as JSON a moment ago does not count for its CSV.
                        var since = Uri.EscapeDataString(before.ToString("O"));
                        var found = false;
                        foreach (var key in new[] { enrolment.ToString(), marks[0], marks[1] })
                        {
                            var entries = await Audit(a, $"person={Uri.EscapeDataString(key)}&from={since}", ct);
                            found |= entries.Any(e => e.GetProperty("endpoint").GetString() == template && e.GetProperty("method").GetString() == "GET"
                                && e.GetProperty("actor").GetString() == "integrator");
                        }
                        if (!found)
                        {
                            unaudited.Add($"{read}: {marks[2]}");
                        }
                    }
                }
            }

            Assert.True(unaudited.Count == 0, $"These reads returned a person's data and were not audited: {string.Join(", ", unaudited)}");
            // The mentoring path's people appear in the enrolments, the engagement, the notifications and more.
            Assert.True(personal.Count >= 6, $"Only {personal.Count} reads returned the people: {string.Join(", ", personal)}");
            Assert.Contains("/api/v1/engagements/{engagementId} (application/json)", personal);
            Assert.Contains("/api/v1/programs/{programId}/enrolments/{enrolmentId} (application/json)", personal);
            Assert.Contains("/api/v1/programs/{programId}/history (text/csv)", personal);

            // The audit names people without their personal data, filters by enrolment id too, and reading it is audited.
            var byEnrolment = await Audit(a, $"person={mentee}", ct);
            Assert.Contains(byEnrolment, e => e.GetProperty("endpoint").GetString() == "/api/v1/programs/{id}/enrolments/{id}");
            var everything = await a.Http.GetStringAsync($"/api/v1/audit?person={Uri.EscapeDataString(menteeEmail)}&limit=500", ct);
            Assert.DoesNotContain(menteeEmail, everything, StringComparison.OrdinalIgnoreCase);
            Assert.All(menteeMarks, mark => Assert.DoesNotContain(mark, everything, StringComparison.OrdinalIgnoreCase));
            var readsOfTheAudit = await Audit(a, $"person={Uri.EscapeDataString(menteeEmail)}&actor=integrator", ct);
            Assert.Contains(readsOfTheAudit, e => e.GetProperty("endpoint").GetString() == "/api/v1/audit");
            using var csv = await a.Http.GetAsync($"/api/v1/audit?person={mentee}&format=csv", ct);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            var lines = (await csv.Content.ReadAsStringAsync(ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("id,at,actor,actorId,method,endpoint,status,people", lines[0]);
            Assert.True(lines.Length > 2);

            // Another district sees none of it; a key without the admin scope may not read it; nobody may change it.
            var b = new DistrictApi(system.District("demo-b"));
            Assert.Empty(await Audit(b, $"person={mentee}", ct));
            var writer = await a.Http.CreateKey($"audit-reader-{tag}", ["read", "write"], ct);
            using var plain = system.WithKey(writer.Key);
            Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("/api/v1/audit", ct)).StatusCode);
            using var bad = await a.Http.GetAsync("/api/v1/audit?from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z", ct);
            Assert.Contains("to", (await GatewayKeys.Problem(bad, HttpStatusCode.BadRequest, ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
            await using var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(system.Postgres) { Database = "gateway" }.ConnectionString);
            await using var erase = database.CreateCommand("delete from gateway.personal_data_reads");
            var refused = await Assert.ThrowsAsync<PostgresException>(() => erase.ExecuteNonQueryAsync(ct));
            Assert.Contains("append-only", refused.MessageText);
        }
        finally
        {
            await a.Http.DeleteAsync($"/api/v1/webhooks/{webhookId}", ct);
        }
    }

    static IEnumerable<string> Placeholders(string path) =>
        path.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1]);

    static async Task<List<JsonElement>> Audit(DistrictApi api, string query, CancellationToken ct) =>
        [.. await api.AllItems($"/api/v1/audit?{query}", ct)];
}

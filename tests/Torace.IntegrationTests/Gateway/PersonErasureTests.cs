using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Torace.IntegrationTests.Fixture;
using Torace.IntegrationTests.Webhooks;

namespace Torace.IntegrationTests.Gateway;

/// <summary>
/// Erasing a person through the gateway: after a mentor has been enrolled, matched, emailed, scheduled and written
/// about, <c>DELETE /api/v1/people/{externalId}</c> leaves no trace of their name, email or external id in any table of
/// any database on the server, while the program's report reads the same.
/// </summary>
public sealed class PersonErasureTests(ToraceSystem system)
{
    [Fact]
    public async Task An_erased_mentor_is_found_in_no_database_and_the_report_reads_the_same()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = new DistrictApi(system.District("demo-a"));
        var run = Guid.NewGuid().ToString("N")[..10];
        var name = $"Quillon Vantablack {run}";
        var email = $"quillon.{run}@lincoln.example.org";
        var externalId = $"hr-{run}";
        var programName = $"Erasure {run}";

        // The district hears of enrolments by webhook: the delivery log keeps each payload, with the external id.
        await using var receiver = await WebhookReceiver.Start(ct);
        var (hook, _) = await WebhookTests.Register(a, receiver.Url("hr"), ["participant.enrolled"], ct);
        try
        {
            // The first session is ten days away, so no reminder falls due or is missed while the test runs: the report
            // changes only if the erasure changes it.
            var programId = await a.CreateOpenProgram(programName, DateTimeOffset.UtcNow.AddDays(10), ct);
            var mentorId = Guid.Empty;
            var mentor = new
            {
                role = "mentor", externalId, name, email, site = "Lincoln High", topics = new[] { "sel" }, modality = "virtual",
                timeZone = "America/Chicago", capacity = 2,
            };
            // Sent with an Idempotency-Key: Programs keeps the answer, which names the mentor, for a day.
            using (var enrol = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/programs/{programId}/enrolments") { Content = JsonContent.Create(mentor) })
            {
                enrol.Headers.Add("Idempotency-Key", $"erasure-{run}");
                using var enrolled = await a.Http.SendAsync(enrol, ct);
                Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
                mentorId = (await enrolled.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
            }
            var menteeEmail = $"sam.{run}@roosevelt.example.org";
            await a.Enrol(programId, DistrictApi.Person("mentee", menteeEmail, "Roosevelt Middle"), ct);
            await Eventually.Until(_ => Task.FromResult(receiver.Of("hr").Count(r => r.Body.Contains(externalId, StringComparison.Ordinal))), n => n == 1,
                "the mentor's enrolment webhook", 30);
            var runId = (await a.RunMatching(programId, expectedProposals: 1)).GetProperty("id").GetGuid();
            using (var published = await a.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{runId}/publish", null, ct))
            {
                Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
            }
            var engagement = (await Eventually.Until(t => a.Items($"/api/v1/programs/{programId}/engagements", t),
                e => e.GetArrayLength() == 1, "the engagement"))[0];
            // The mentor's pre-reflection, submitted on their behalf: what they wrote is theirs.
            var reflection = engagement.GetProperty("touchpoints").EnumerateArray()
                .Single(t => t.GetProperty("kind").GetString() == "pre-reflection" && t.GetProperty("recipientId").GetGuid() == mentorId).GetProperty("id").GetGuid();
            using (var submitted = await a.Http.PostAsJsonAsync($"/api/v1/engagements/{engagement.GetProperty("id").GetGuid()}/touchpoints/{reflection}/submission",
                new { response = $"Planning with {menteeEmail}: pacing ideas {run}", link = $"https://docs.example.org/{externalId}/plan" }, ct))
            {
                Assert.True(submitted.IsSuccessStatusCode, $"Submitting the reflection answered {submitted.StatusCode}: {await submitted.Content.ReadAsStringAsync(ct)}");
            }
            using (var completed = await a.Http.PostAsJsonAsync($"/api/v1/engagements/{engagement.GetProperty("id").GetGuid()}/sessions/1/complete",
                new { attended = true, notes = $"{name} walked {menteeEmail} through a lesson plan." }, ct))
            {
                Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
            }
            await Eventually.Until(async t => (await system.Emails(t)).Count(e => e.To.Any(to => to.Address == email)), n => n >= 2,
                "the mentor's match and session emails");
            await Eventually.Until(t => a.Items($"/api/v1/programs/{programId}/notifications", t),
                log => log.EnumerateArray().Count(d => d.GetProperty("recipient").GetString() == email) >= 2, "the mentor's emails in the delivery log");
            var found = await Everywhere([name, email, $"pacing ideas {run}"], ct);
            Assert.True(found.Count >= 5, $"The mentor should be stored in several places before the erasure; found {string.Join(", ", found)}.");
            // The report hears of the completed session and the reflection over the broker: it is read once it has.
            var before = await Eventually.Until(async t => (First: await Report(a, programId, t), Second: await Report(a, programId, t)),
                r => r.First == r.Second && r.First.Contains("\"sessionsCompleted\":1", StringComparison.Ordinal), "the report to count the completed session");

            // A link emailed to the mentor works until the erasure, and allows nothing after it.
            var engagementPath = $"/api/v1/engagements/{engagement.GetProperty("id").GetGuid()}";
            string link;
            using (var minted = await a.Http.PostAsJsonAsync("/api/v1/participant-links",
                new { enrolmentId = mentorId, action = Torace.Platform.Tenancy.ParticipantActions.WithdrawFromEngagement }, ct))
            {
                Assert.Equal(HttpStatusCode.Created, minted.StatusCode);
                link = (await minted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
            }
            using (var mentorsLink = system.WithLink(link))
            using (var read = await mentorsLink.GetAsync(engagementPath, ct))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }

            // Only the district's admin may erase, only its own people, and only by a sensible external id.
            var b = new DistrictApi(system.District("demo-b"));
            using (var other = await b.Http.DeleteAsync($"/api/v1/people/{externalId}", ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            }
            var writer = await system.District("demo-a").CreateKey($"writer {run}", ["read", "write"], ct);
            using (var refused = await system.WithKey(writer.Key).DeleteAsync($"/api/v1/people/{externalId}", ct))
            {
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            }
            using (var tooLong = await a.Http.DeleteAsync($"/api/v1/people/{new string('x', 101)}", ct))
            {
                Assert.Contains("externalId", (await GatewayKeys.Problem(tooLong, HttpStatusCode.BadRequest, ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
            }

            using var erase = await a.Http.DeleteAsync($"/api/v1/people/{externalId}", ct);
            Assert.Equal(HttpStatusCode.Accepted, erase.StatusCode);
            var erasure = await erase.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal(1, erasure.GetProperty("enrolments").GetInt32());
            using (var again = await a.Http.DeleteAsync($"/api/v1/people/{externalId}", ct))
            {
                Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
                Assert.Equal(erasure.GetProperty("erasedAt").GetDateTimeOffset(), (await again.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("erasedAt").GetDateTimeOffset());
            }

            var left = await Eventually.Until(_ => Everywhere([name, email, externalId, $"pacing ideas {run}"], ct), l => l.Count == 0,
                "no database to hold the mentor's name, email or external id", 60);
            Assert.Empty(left);

            // A message already on its way when the erasure came (here: the record of one more email to the mentor) stores
            // them again; the erasure's second look (after 45 s in the tests) masks it.
            await system.Publish(ct, (new Torace.Contracts.Notifications.NotificationSent("demo-a", programId, Guid.NewGuid(), Guid.NewGuid(), "reminder",
                email, $"Reminder: {programName}", DateTimeOffset.UtcNow, mentorId), Guid.NewGuid()));
            await Eventually.Until(_ => Everywhere([email], ct), l => l.Count > 0, "the late email record in the program's timeline", 15);
            var late = await Eventually.Until(_ => Everywhere([name, email, externalId], ct), l => l.Count == 0, "the second look to mask the late record", 90);
            Assert.Empty(late);
            Assert.NotEmpty(await Everywhere([menteeEmail], ct)); // the mentee was not erased
            Assert.Equal(before.First, await Report(a, programId, ct));
            using (var person = await a.Http.GetAsync($"/api/v1/people/{externalId}", ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, person.StatusCode);
            }
            using (var back = await a.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", mentor, ct))
            {
                Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
            }
            var engagementAfter = await a.Get(engagementPath, ct);
            Assert.Contains("Erased person", engagementAfter.ToString(), StringComparison.Ordinal);
            using (var mentorsLink = system.WithLink(link))
            using (var refused = await mentorsLink.GetAsync(engagementPath, ct))
            {
                Assert.Contains("erased", (await GatewayKeys.Problem(refused, HttpStatusCode.Forbidden, ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

        }
        finally
        {
            await WebhookTests.Remove(a, hook, ct);
        }
    }

    /// <summary>The report's figures, without the moment it was made.</summary>
    static async Task<string> Report(DistrictApi api, Guid programId, CancellationToken ct)
    {
        var report = System.Text.Json.Nodes.JsonNode.Parse((await api.Get($"/api/v1/programs/{programId}/report", ct)).GetRawText())!.AsObject();
        report.Remove("generatedAt");
        return report.ToJsonString();
    }

    /// <summary>Every text, JSON and binary column of every table of every database on the server that holds one of <paramref name="terms"/>.</summary>
    async Task<List<string>> Everywhere(IReadOnlyList<string> terms, CancellationToken ct)
    {
        var found = new List<string>();
        var databases = new List<string>();
        await using (var server = NpgsqlDataSource.Create(system.Postgres))
        await using (var list = server.CreateCommand("select datname from pg_database where not datistemplate and datname <> 'postgres'"))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                databases.Add(reader.GetString(0));
            }
        }
        foreach (var database in databases)
        {
            await using var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(system.Postgres) { Database = database }.ConnectionString);
            var columns = new List<(string Schema, string Table, string Column, string Type)>();
            await using (var list = source.CreateCommand("""
                select c.table_schema, c.table_name, c.column_name, c.data_type from information_schema.columns c
                join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
                where c.table_schema not in ('pg_catalog', 'information_schema')
                  and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')
                """))
            await using (var reader = await list.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }
            foreach (var (schema, table, column, type) in columns)
            {
                // Bytes in escape form: any byte that is not printable ASCII is written as \nnn, the rest as itself, so an ASCII
                // address or name stored as bytes is found (the search terms are ASCII) and no column is skipped for what it holds.
                var text = type == "bytea" ? $"encode(\"{column}\", 'escape')" : $"\"{column}\"::text";
                await using var search = source.CreateCommand($"select count(*) from \"{schema}\".\"{table}\" where {text} ilike any($1)");
                search.Parameters.AddWithValue(terms.Select(t => $"%{t}%").ToArray());
                try
                {
                    if ((long)(await search.ExecuteScalarAsync(ct))! > 0)
                    {
                        found.Add($"{database}.{schema}.{table}.{column}");
                    }
                }
                catch (PostgresException e) when (e.SqlState is "42883")
                {
                    // A type with no text form: nothing a search by name reads.
                }
            }
        }
        return found;
    }
}

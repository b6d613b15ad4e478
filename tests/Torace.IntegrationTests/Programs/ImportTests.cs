using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Programs;

/// <summary>Bulk enrolment through the gateway: CSV and JSON, small and large, again, as a dry run, bad files, at once with single enrolments.</summary>
/// <remarks>
/// Alone, not beside the other tests: a 10,000-row import keeps both cores busy for a minute, and tests that time their
/// answers (a run's 202 within its bound) would measure the import instead of themselves.
/// </remarks>
[Collection(nameof(ImportTests))]
public sealed class ImportTests(ToraceSystem system)
{
    const string Header = "Role,External ID,Name,Email,Site,Topics,Modality,Time Zone,Capacity";

    static string Row(string tag, int i, string site = "Lincoln High") => i % 10 == 0
        ? $"mentor,{tag}-{i},\"Mentor {i}, PhD\",mo{i}.{tag}@example.org,{site},sel;math,virtual,America/Chicago,9"
        : $"mentee,{tag}-{i},Mentee {i},mi{i}.{tag}@example.org,{site},sel,virtual,America/Chicago,";

    static string Csv(string tag, int people) =>
        Header + "\r\n" + string.Concat(Enumerable.Range(0, people).Select(i => Row(tag, i) + "\r\n"));

    static HttpContent CsvContent(string text, bool bom = false) =>
        new ByteArrayContent([.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)]) { Headers = { ContentType = new("text/csv") } };

    static async Task<(HttpStatusCode Status, JsonElement Body, Uri? Location)> Post(DistrictApi api, Guid programId, HttpContent content, string query = "")
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await api.Http.PostAsync($"/api/v1/programs/{programId}/enrolments/import{query}", content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response.Headers.Location);
    }

    static int Count(JsonElement counts, string result) => counts.GetProperty("counts").GetProperty(result).GetInt32();

    async Task<(DistrictApi Api, Guid ProgramId, string Tag)> OpenProgram(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var api = new DistrictApi(system.District("demo-a"));
        return (api, await api.CreateOpenProgram($"{name} {tag}", DateTimeOffset.UtcNow.AddDays(10), ct), tag);
    }

    [Fact]
    public async Task Ten_thousand_rows_import_in_the_background_each_person_once_and_importing_again_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (api, programId, tag) = await OpenProgram("District import");
        var file = Csv(tag, 10_000);

        var import = await ImportLarge(api, programId, file);

        Assert.Equal((10_000, 10_000, 0), (import.GetProperty("done").GetInt32(), Count(import, "created"), Count(import, "rejected")));
        var program = await api.Get($"/api/v1/programs/{programId}", ct);
        Assert.Equal((1_000, 9_000), (program.GetProperty("mentors").GetInt32(), program.GetProperty("mentees").GetInt32()));
        // Every row's result, a page at a time: 10,000 distinct enrolments.
        var ids = new HashSet<Guid>();
        for (var page = $"/api/v1/programs/{programId}/enrolments/imports/{import.GetProperty("id").GetGuid()}?limit=500"; ;)
        {
            var rows = (await api.Get(page, ct)).GetProperty("rows");
            foreach (var row in rows.GetProperty("items").EnumerateArray())
            {
                Assert.Equal("created", row.GetProperty("result").GetString());
                ids.Add(row.GetProperty("enrolmentId").GetGuid());
            }
            if (!rows.TryGetProperty("next", out var next) || next.ValueKind != JsonValueKind.String)
            {
                break;
            }
            page = next.GetString()!;
        }
        Assert.Equal(10_000, ids.Count);

        var again = await ImportLarge(api, programId, file);

        Assert.Equal((10_000, 0), (Count(again, "unchanged"), Count(again, "created") + Count(again, "updated") + Count(again, "rejected")));
        var unchanged = await api.Get($"/api/v1/programs/{programId}", ct);
        Assert.Equal((1_000, 9_000), (unchanged.GetProperty("mentors").GetInt32(), unchanged.GetProperty("mentees").GetInt32()));
    }

    [Fact]
    public async Task A_run_started_right_after_a_ten_thousand_row_import_covers_every_one_and_Matching_holds_each_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (api, programId, tag) = await OpenProgram("Import then match");
        await ImportLarge(api, programId, Csv(tag, 10_000));

        // A run asked for right after covers every enrolment; its Location answers 202 until Matching takes it up.
        var runId = await api.StartRun(programId, ct);
        var run = await api.Finished(programId, runId, ct, seconds: 150);

        Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());
        Assert.Equal(10_000, run.GetProperty("coveredEnrolments").GetInt32());
        // 1,000 mentors with 9 places each and 9,000 mentees in pairs: each mentee is proposed or waits, exactly once.
        Assert.Equal(9_000, run.GetProperty("proposalCount").GetInt32() + run.GetProperty("unmatchedCount").GetInt32());
    }

    /// <summary>Posts a file of more than 1,000 rows (202) and polls its Location until the import completed; answers the import.</summary>
    static async Task<JsonElement> ImportLarge(DistrictApi api, Guid programId, string file)
    {
        var (status, accepted, location) = await Post(api, programId, CsvContent(file, bom: true));
        Assert.True(status == HttpStatusCode.Accepted, $"{status}: {accepted}");
        Assert.Equal(10_000, accepted.GetProperty("total").GetInt32());
        var import = await Eventually.Until(t => api.Get(location!.OriginalString, t),
            i => i.GetProperty("status").GetString() is "completed" or "failed", "the import to finish", seconds: 120);
        Assert.True(import.GetProperty("status").GetString() == "completed", import.ToString());
        return import;
    }

    [Fact]
    public async Task A_small_file_answers_every_row_at_once_rejecting_bad_and_duplicate_rows_and_the_same_file_again_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (api, programId, tag) = await OpenProgram("Small import");
        var file = $"sep=,\r\n{Header},Department,,\r\n{Row(tag, 0)},Science,,\r\n{Row(tag, 1)},Math,,\r\n"
            + $"mentee,{tag}-2,Bad Email,not-an-email,Lincoln High,sel,virtual,America/Chicago,,,,\r\n"
            + $"mentee,{tag}-1,Again,again.{tag}@example.org,Lincoln High,sel,virtual,America/Chicago,,,,\r\n,,,,,,,,,,,\r\n";

        var (status, first, _) = await Post(api, programId, CsvContent(file, bom: true));

        Assert.True(status == HttpStatusCode.OK, first.ToString());
        var rows = first.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["created", "created", "rejected", "rejected"], rows.Select(r => r.GetProperty("result").GetString()));
        Assert.Equal("Mentor 0, PhD", (await api.Get($"/api/v1/programs/{programId}/enrolments/{rows[0].GetProperty("enrolmentId").GetGuid()}", ct)).GetProperty("name").GetString());
        Assert.Equal("'email' must be an email address.", rows[2].GetProperty("errors").GetProperty("email")[0].GetString());
        Assert.Contains("Row 2 already enrols this person", rows[3].GetProperty("errors").GetProperty("externalId")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(["Department"], first.GetProperty("ignoredColumns").EnumerateArray().Select(c => c.GetString()));

        var (_, second, _) = await Post(api, programId, CsvContent(file));
        Assert.Equal(["unchanged", "unchanged", "rejected", "rejected"], second.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("result").GetString()));
        Assert.Equal(2, (await api.Get($"/api/v1/programs/{programId}/enrolments", ct)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_dry_run_reports_what_each_row_would_do_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (api, programId, tag) = await OpenProgram("Dry run");
        var existing = await api.Enrol(programId, DistrictApi.Person("mentee", $"kept.{tag}@example.org", "Lincoln High"), ct);
        object[] people =
        [
            DistrictApi.Person("mentee", $"kept.{tag}@example.org", "Roosevelt Middle"),
            DistrictApi.Person("mentor", $"new.{tag}@example.org", "Lincoln High", capacity: 2),
            new { role = "mentee", externalId = $"bad.{tag}", name = "No site", email = $"bad.{tag}@example.org" },
        ];

        var (status, preview, _) = await Post(api, programId, JsonContent.Create(people), "?dryRun=true");

        Assert.True(status == HttpStatusCode.OK, preview.ToString());
        Assert.True(preview.GetProperty("dryRun").GetBoolean());
        Assert.Equal(["updated", "created", "rejected"], preview.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("result").GetString()));
        Assert.Equal("'site' is required.", preview.GetProperty("rows")[2].GetProperty("errors").GetProperty("site")[0].GetString());
        var enrolments = await api.Get($"/api/v1/programs/{programId}/enrolments", ct);
        Assert.Equal(1, enrolments.GetProperty("total").GetInt32());
        Assert.Equal("Lincoln High", (await api.Get($"/api/v1/programs/{programId}/enrolments/{existing}", ct)).GetProperty("site").GetString());
    }

    [Fact]
    public async Task Bad_files_answer_a_problem_naming_what_is_wrong_and_enrol_nobody()
    {
        var ct = TestContext.Current.CancellationToken;
        var (api, programId, tag) = await OpenProgram("Bad files");

        var (missing, missingBody, _) = await Post(api, programId, CsvContent($"role,externalId,name,site\r\nmentee,{tag},Sam,Lincoln\r\n"));
        var (latin1, latin1Body, _) = await Post(api, programId,
            new ByteArrayContent(Encoding.Latin1.GetBytes($"{Header}\r\nmentee,{tag},Zoë,z@example.org,Lincoln,sel,virtual,UTC,\r\n")) { Headers = { ContentType = new("text/csv") } });
        var (tooMany, tooManyBody, _) = await Post(api, programId, CsvContent(Csv(tag, 10_001)));
        var (notJson, notJsonBody, _) = await Post(api, programId, new StringContent("{\"role\":\"mentee\"}", Encoding.UTF8, "application/json"));
        var (wrongType, _, _) = await Post(api, programId, new StringContent("role,externalId", Encoding.UTF8, "application/xml"));
        var (badFlag, badFlagBody, _) = await Post(api, programId, CsvContent(Csv(tag, 1)), "?dryRun=perhaps");

        Assert.True(missing == HttpStatusCode.BadRequest, missingBody.ToString());
        Assert.Contains("'email'", missingBody.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.True(latin1 == HttpStatusCode.BadRequest, latin1Body.ToString());
        Assert.Contains("not UTF-8", latin1Body.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.True(tooMany == HttpStatusCode.RequestEntityTooLarge, tooManyBody.ToString());
        Assert.Contains("10,000", tooManyBody.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(notJson == HttpStatusCode.BadRequest, notJsonBody.ToString());
        Assert.True(notJsonBody.GetProperty("errors").TryGetProperty("body", out _), notJsonBody.ToString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType);
        Assert.True(badFlag == HttpStatusCode.BadRequest && badFlagBody.GetProperty("errors").TryGetProperty("dryRun", out _), badFlagBody.ToString());
        Assert.Equal(0, (await api.Get($"/api/v1/programs/{programId}/enrolments", ct)).GetProperty("total").GetInt32());

        var draft = await api.CreateProgram(DistrictApi.ProgramBody($"Draft {tag}", DateTimeOffset.UtcNow.AddDays(10)), ct);
        var (closed, closedBody, _) = await Post(api, draft, CsvContent(Csv(tag, 3)));
        Assert.True(closed == HttpStatusCode.Conflict, closedBody.ToString());
        Assert.Contains("draft", closedBody.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_districts_key_finds_neither_the_program_nor_its_import()
    {
        var ct = TestContext.Current.CancellationToken;
        var (api, programId, tag) = await OpenProgram("Tenant import");
        var (_, _, location) = await Post(api, programId, CsvContent(Csv(tag, 1_001)));
        var other = new DistrictApi(system.District("demo-b"));

        var (import, importBody, _) = await Post(other, programId, CsvContent(Csv(tag, 2)));
        using var read = await other.Http.GetAsync(location!.OriginalString, ct);

        Assert.True(import == HttpStatusCode.NotFound, importBody.ToString());
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync(location.OriginalString, ct)).StatusCode);
    }

    [Fact]
    public async Task An_import_and_single_enrolments_of_the_same_people_at_once_enrol_each_person_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (api, programId, tag) = await OpenProgram("Import race");
        var people = Enumerable.Range(0, 600).Select(i => DistrictApi.Person(i % 5 == 0 ? "mentor" : "mentee", $"p{i}.{tag}@example.org", "Lincoln High", capacity: 3)).ToList();

        var imported = Post(api, programId, JsonContent.Create(people));
        var taken = -1;
        var singles = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = Interlocked.Increment(ref taken); i < people.Count; i = Interlocked.Increment(ref taken))
            {
                using var response = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", people[people.Count - 1 - i], ct);
                statuses.Add(response.StatusCode);
            }
            return statuses;
        }, ct)));
        var (status, body, _) = await imported;

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.All(singles.SelectMany(s => s), s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.OK, s.ToString()));
        var results = body.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("result").GetString()).ToList();
        Assert.All(results, r => Assert.True(r is "created" or "unchanged", r));
        // Each person was created exactly once, by the import or by a single call.
        Assert.Equal(600, results.Count(r => r == "created") + singles.SelectMany(s => s).Count(s => s == HttpStatusCode.Created));
        Assert.Equal(600, (await api.Get($"/api/v1/programs/{programId}/enrolments", ct)).GetProperty("total").GetInt32());
    }
}

[CollectionDefinition(nameof(ImportTests), DisableParallelization = true)]
public sealed class ImportTestsRunAlone;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.EndToEnd;

/// <summary>
/// A district words its emails its own way in Liquid, for the district or for one program: the delivered email is the
/// program's wording, the coordinator's message in it escaped and never run; a template is checked when it is saved
/// (400 naming the part), any draft previews with sample data, and one district never sees another's.
/// </summary>
public sealed class EmailTemplateTests(ToraceSystem system)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_programs_own_wording_reaches_its_match_emails_with_the_coordinators_message_escaped()
    {
        var api = new DistrictApi(system.District("demo-a"));
        var tag = Guid.NewGuid().ToString("N")[..8];
        var name = $"Worded {tag}";
        var body = JsonSerializer.SerializeToElement(DistrictApi.ProgramBody(name, DateTimeOffset.UtcNow.AddDays(10)));
        var program = JsonSerializer.Deserialize<Dictionary<string, object>>(body.GetRawText())!;
        program["message"] = new { text = "Bring <b>one</b> lesson. {{ recipient.email }}", guideUrl = "https://example.org/guides/two-session" };
        var programId = await api.CreateOpenProgram(program, Ct);

        using (var set = await api.Http.PutAsJsonAsync($"/api/v1/programs/{programId}/email-templates/match", new
        {
            subject = "{{ programName }}: meet {% if role == 'mentor' %}your mentee{% else %}your mentor{% endif %}",
            html = "<p>Dear {{ recipient.name }}, meet {% if role == 'mentor' %}{{ mentees.first.name }}{% else %}{{ mentor.name }} of {{ mentor.site }}{% endif %}.</p>"
                + "<p>{{ message }}</p>{% if declineUrl != blank %}<p><a href=\"{{ declineUrl }}\">Not for me</a></p>{% endif %}",
            text = "Dear {{ recipient.name }}: {{ message }}",
        }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        Assert.Equal("program", (await api.Get($"/api/v1/programs/{programId}/email-templates/match", Ct)).GetProperty("source").GetString());

        await api.Enrol(programId, DistrictApi.Person("mentor", $"maria.{tag}@a.example.org", "Lincoln", capacity: 1), Ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", $"sam.{tag}@a.example.org", "Roosevelt"), Ct);
        var run = await api.RunMatching(programId, expectedProposals: 1);
        (await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{run.GetProperty("id").GetGuid()}/publish", null, Ct)).EnsureSuccessStatusCode();

        var emails = await Eventually.Until(async t => (await system.Emails(t)).Where(e => e.Subject.StartsWith($"{name}: meet", StringComparison.Ordinal)).ToList(),
            e => e.Count >= 2, "the program's own match emails");
        var toMentee = Assert.Single(emails, e => e.To.Any(a => a.Address == $"sam.{tag}@a.example.org"));
        var toMentor = Assert.Single(emails, e => e.To.Any(a => a.Address == $"maria.{tag}@a.example.org"));
        Assert.Equal($"{name}: meet your mentor", toMentee.Subject);
        Assert.Equal($"{name}: meet your mentee", toMentor.Subject);
        Assert.Contains($"Dear sam.{tag}, meet maria.{tag} of Lincoln.", toMentee.Html);
        Assert.Contains($"Dear maria.{tag}, meet sam.{tag}.", toMentor.Html);
        Assert.Contains("Bring &lt;b&gt;one&lt;/b&gt; lesson. {{ recipient.email }}", toMentee.Html);
        Assert.Contains("/decline-match?token=", toMentee.Html);
        Assert.Equal($"Dear sam.{tag}: Bring <b>one</b> lesson. {{{{ recipient.email }}}}", toMentee.Text?.Trim());
    }

    [Fact]
    public async Task A_districts_wording_is_checked_previewed_overridden_per_program_and_kept_from_other_districts()
    {
        var b = new DistrictApi(system.District("demo-b"));
        var a = new DistrictApi(system.District("demo-a"));
        const string District = "/api/v1/settings/email-templates/session-completed";
        var programId = await b.CreateOpenProgram($"Templates {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), Ct);
        var ofProgram = $"/api/v1/programs/{programId}/email-templates/session-completed";

        using (var set = await b.Http.PutAsJsonAsync(District, new { subject = "Well done: session {{ sessionNumber }}", html = "<p>{{ recipient.name }}, thank you.</p>" }, Ct))
        {
            var saved = await set.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal((HttpStatusCode.OK, "district"), (set.StatusCode, saved.GetProperty("source").GetString()));
            Assert.Equal("Session {{ sessionNumber }} of {{ programName }} is done", saved.GetProperty("default").GetProperty("subject").GetString());
        }
        Assert.Contains((await b.Get("/api/v1/settings/email-templates", Ct)).EnumerateArray(),
            t => t.GetProperty("kind").GetString() == "session-completed" && t.GetProperty("source").GetString() == "district");
        Assert.Equal("district", (await b.Get(ofProgram, Ct)).GetProperty("source").GetString());
        // demo-a never sees demo-b's wording, nor its program.
        Assert.Equal("torace", (await a.Get(District, Ct)).GetProperty("source").GetString());
        using (var foreign = await a.Http.GetAsync(ofProgram, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        // A draft previews with sample data in the district's frame, the saved subject kept where the draft gives none.
        using (var preview = await b.Http.PostAsJsonAsync($"{District}/preview", new { html = "<p>{{ recipient.name }} finished session {{ sessionNumber }} of {{ programName }}.</p>" }, Ct))
        {
            var email = await preview.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            Assert.Equal("Well done: session 1", email.GetProperty("subject").GetString());
            Assert.Contains("Sam Carter finished session 1 of SEL in the first weeks.", email.GetProperty("html").GetString());
            Assert.StartsWith("<!DOCTYPE html>", email.GetProperty("html").GetString());
            Assert.Equal("Sam Carter finished session 1 of SEL in the first weeks.\n", email.GetProperty("text").GetString());
        }

        // The match email previews with the caller's own values in place of the made-up ones, still escaped.
        using (var match = await b.Http.PostAsJsonAsync("/api/v1/settings/email-templates/match/preview",
            new { sample = new { programName = "Family engagement", message = "Bring <your> questions.", sessions = new[] { new { number = 1, label = "Session 1", modality = "in-person" } } } }, Ct))
        {
            var email = await match.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.OK, match.StatusCode);
            Assert.Equal("You have a mentor: Family engagement", email.GetProperty("subject").GetString());
            Assert.Contains("Bring &lt;your&gt; questions.", email.GetProperty("html").GetString());
            Assert.Contains("<li>Session 1 (in-person)</li>", email.GetProperty("html").GetString());
        }

        using (var broken = await b.Http.PutAsJsonAsync(ofProgram, new { subject = "Own", html = "<p>{{ recipient.name | upcase: 1 }}</p>{% capture x %}y{% endcapture %}" }, Ct))
        {
            Assert.Equal(["html"], Fields(await GatewayKeys.Problem(broken, HttpStatusCode.BadRequest, Ct)));
        }
        using (var own = await b.Http.PutAsJsonAsync(ofProgram, new { subject = "Program's own", html = "<p>Own.</p>" }, Ct))
        {
            Assert.Equal("program", (await own.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("source").GetString());
        }
        Assert.Equal("district", (await b.Get(District, Ct)).GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await b.Http.DeleteAsync(ofProgram, Ct)).StatusCode);
        Assert.Equal("district", (await b.Get(ofProgram, Ct)).GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await b.Http.DeleteAsync(District, Ct)).StatusCode);
        Assert.Equal("torace", (await b.Get(ofProgram, Ct)).GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_template_that_cannot_work_answers_400_naming_its_part_and_an_unknown_kind_404()
    {
        using var district = system.District("demo-a");
        const string Path = "/api/v1/settings/email-templates/reminder";

        using var broken = await district.PutAsJsonAsync(Path, new { subject = "Due {% if %}", html = "<p>{{ prompt | raw }}</p>", text = "{{ what" }, Ct);
        using var missing = await district.PutAsJsonAsync(Path, new { html = "<p>Hello</p>" }, Ct);
        using var empty = await district.PutAsJsonAsync(Path, new { subject = "{{ nothing }}", html = "<p>Hello</p>" }, Ct);
        using var previewBroken = await district.PostAsJsonAsync($"{Path}/preview", new { html = "{% for %}" }, Ct);
        using var filterError = await district.PostAsJsonAsync($"{Path}/preview", new { subject = "{{ programName | divided_by: 0 }}" }, Ct);
        using var badSample = await district.PostAsJsonAsync($"{Path}/preview", new { sample = new { nope = 1, dueAt = "Friday" } }, Ct);
        using var unknown = await district.GetAsync("/api/v1/settings/email-templates/newsletter", Ct);
        using var unknownPut = await district.PutAsJsonAsync("/api/v1/settings/email-templates/newsletter", new { subject = "x", html = "y" }, Ct);

        Assert.Equal(["html", "subject", "text"], Fields(await GatewayKeys.Problem(broken, HttpStatusCode.BadRequest, Ct)));
        Assert.Equal(["subject"], Fields(await GatewayKeys.Problem(missing, HttpStatusCode.BadRequest, Ct)));
        Assert.Equal(["subject"], Fields(await GatewayKeys.Problem(empty, HttpStatusCode.BadRequest, Ct)));
        Assert.Equal(["html"], Fields(await GatewayKeys.Problem(previewBroken, HttpStatusCode.BadRequest, Ct)));
        Assert.Equal(["subject"], Fields(await GatewayKeys.Problem(filterError, HttpStatusCode.BadRequest, Ct)));
        Assert.Equal(["sample.nope"], Fields(await GatewayKeys.Problem(badSample, HttpStatusCode.BadRequest, Ct)));
        Assert.Contains("match", (await GatewayKeys.Problem(unknown, HttpStatusCode.NotFound, Ct)).GetProperty("detail").GetString());
        await GatewayKeys.Problem(unknownPut, HttpStatusCode.NotFound, Ct);
        Assert.Equal("torace", (await new DistrictApi(district).Get(Path, Ct)).GetProperty("source").GetString());
    }

    static IEnumerable<string> Fields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order();
}

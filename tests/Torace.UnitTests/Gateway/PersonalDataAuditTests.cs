using System.Security.Cryptography;
using System.Text;
using Torace.Gateway.Audit;

namespace Torace.UnitTests.Gateway;

/// <summary>Whose personal data an answer holds, as the audit records it: by enrolment id and keyed hashes, never the data itself.</summary>
public class PersonalDataAuditTests
{
    static readonly PersonalDataAudit Audit = new(null!, RandomNumberGenerator.GetBytes(32));

    static IReadOnlyList<string> People(string answer, bool json = true) => Audit.PeopleIn(Encoding.UTF8.GetBytes(answer), json);

    [Fact]
    public void A_person_in_a_json_answer_is_named_by_enrolment_email_and_external_id_without_the_values()
    {
        var enrolment = Guid.NewGuid();
        var people = People($$"""{"items":[{"id":"{{enrolment}}","externalId":"T-1001","name":"Maria Lopez","email":"Maria@A.example.org"}],"total":1}""");

        Assert.Equal(3, people.Count);
        Assert.Contains($"enrolment:{enrolment}", people);
        Assert.Equal(Audit.KeysOf("maria@a.example.org")[0], people.Single(p => p.StartsWith("email:", StringComparison.Ordinal)));
        Assert.Equal(Audit.KeysOf("T-1001")[1], people.Single(p => p.StartsWith("external:", StringComparison.Ordinal)));
        Assert.DoesNotContain(people, p => p.Contains("maria", StringComparison.OrdinalIgnoreCase) || p.Contains("T-1001", StringComparison.Ordinal));
    }

    [Fact]
    public void Engagement_people_notification_recipients_and_webhook_payloads_count_and_an_answer_without_people_does_not()
    {
        var mentee = Guid.NewGuid();
        Assert.Contains($"enrolment:{mentee}", People($$"""{"mentees":[{"enrolmentId":"{{mentee}}","name":"Sam","email":"sam@a.example.org"}]}"""));
        Assert.Single(People("""{"items":[{"recipient":"sam@a.example.org","subject":"Your match"}]}"""));
        Assert.Contains($"enrolment:{mentee}", People("""{"payload":{"data":{"enrolmentId":"ID","externalId":"T-7"}}}""".Replace("ID", mentee.ToString(), StringComparison.Ordinal)));
        Assert.Empty(People("""{"id":"3f1c","name":"Family engagement","status":"open","mentees":12}"""));
    }

    [Fact]
    public void A_csv_export_or_json_that_does_not_parse_is_searched_for_email_addresses()
    {
        Assert.Equal(Audit.KeysOf("sam@a.example.org")[0], Assert.Single(People("at,type,recipient\r\n2026-12-07,NotificationSent,sam@a.example.org\r\n", json: false)));
        Assert.Single(People("""{"broken": "sam@a.example.org" """));
        Assert.Empty(People("at,type\r\n2026-12-07,ProgramOpened\r\n", json: false));
    }

    [Fact]
    public void A_persons_id_beside_their_name_or_words_counts_and_an_id_alone_does_not()
    {
        var (mentor, mentee, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        // A partner named in a person's record, and a history entry's facts (ids joined by commas).
        Assert.Equal([$"enrolment:{mentor}"], People($$"""{"partners":[{"enrolmentId":"{{mentor}}","name":"Maria Lopez","site":"Lincoln"}]}"""));
        Assert.Equal(
            new[] { $"enrolment:{mentor}", $"enrolment:{mentee}", $"enrolment:{other}" }.Order(StringComparer.Ordinal),
            People($$$"""{"items":[{"type":"MatchProposed","facts":{"mentorId":"{{{mentor}}}","mentor":"Ana","menteeIds":"{{{mentee}}},{{{other}}}","mentees":"Ben, Cy"}}]}"""));
        Assert.Equal([$"enrolment:{mentee}"], People($$$"""{"facts":{"enrolmentId":"{{{mentee}}}","matchId":"{{{other}}}","reason":"Too busy this term"}}"""));
        Assert.Empty(People($$"""{"enrolmentId":"{{mentee}}","status":"active","matchId":"{{other}}"}"""));
    }

    [Fact]
    public void A_csv_export_is_read_row_by_row_with_a_cell_of_json_read_as_an_object()
    {
        var mentee = Guid.NewGuid();
        var csv = $"id,type,at,service,actor,facts\r\n{Guid.NewGuid()},MatchDeclined,2026-12-07T10:00:00Z,matching,participant:{mentee},"
            + $"\"{{\"\"enrolmentId\"\":\"\"{mentee}\"\",\"\"reason\"\":\"\"Too busy, sorry\"\"}}\"\r\n";
        Assert.Equal([$"enrolment:{mentee}"], People(csv, json: false));
        Assert.Equal([$"enrolment:{mentee}"], People($"enrolmentId,name\r\n{mentee},Maria Lopez\r\n", json: false));
    }

    [Fact]
    public void A_csv_cell_of_json_nested_too_deep_is_read_as_text_and_its_addresses_still_count()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"\"a\"\":", 70)) + "\"\"sam@a.example.org\"\"" + new string('}', 70);
        Assert.Equal([Audit.KeysOf("sam@a.example.org")[0]], People($"id,facts\r\n1,\"{deep}\"\r\n", json: false));
    }

    [Theory]
    [InlineData("/api/v1/programs/3fa85f64-5717-4562-b3fc-2c963f66afa6/enrolments", "/api/v1/programs/{id}/enrolments")]
    [InlineData("/api/v1/people/maria@a.example.org/plan", "/api/v1/people/{externalId}/plan")]
    [InlineData("/api/v1/engagements/3fa85f64-5717-4562-b3fc-2c963f66afa6/sessions/2", "/api/v1/engagements/{id}/sessions/{number}")]
    public void An_endpoint_is_recorded_as_its_template_so_no_id_or_external_id_is_kept(string path, string template) =>
        Assert.Equal(template, PersonalDataAudit.TemplateOf(path));
}

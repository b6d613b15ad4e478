using System.Text;
using Torace.Programs.Enrolment;
using Torace.Programs.Import;
using Torace.Programs.Lifecycle;

namespace Torace.UnitTests.Programs;

public class EnrolmentImportTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly Guid ProgramId = Guid.NewGuid();
    const string Header = "role,externalId,name,email,site,topics,modality,timeZone,capacity";

    static byte[] Utf8(string text, bool bom = false) => [.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)];

    static ProgramState OpenProgram() =>
        ProgramState.Create(ProgramDecisions.Create(ProgramId, ProgramLifecycleTests.Definition(), Now))
            .Apply(new ProgramOpened(ProgramId, ProgramLifecycleTests.Definition(), Now));

    static ImportFileContent Csv(string text, bool bom = false) => ImportFile.ReadCsv(Utf8(text, bom));

    static IReadOnlyList<PlannedRow> Planned(ImportFileContent file) => ImportRows.Plan(ProgramId, Now, file.Lines);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Given_a_utf8_file_with_or_without_a_byte_order_mark_when_read_then_the_first_header_is_role(bool bom)
    {
        var file = Csv($"{Header}\r\nmentee,HR-1,Zoë Ångström,zoe@a.org,Lincoln,sel,virtual,UTC,\r\n", bom);

        Assert.Null(file.Problem);
        var line = Assert.Single(file.Lines);
        Assert.Equal("mentee", line.Request.Role);
        Assert.Equal("Zoë Ångström", line.Request.Name);
    }

    [Fact]
    public void Given_headers_with_other_case_and_spaces_when_read_then_they_match_the_fields_and_unknown_ones_are_named()
    {
        var file = Csv("Role, External ID ,NAME,E-mail,Site,Time_Zone,Department\nmentor,HR-7,Maria,maria@a.org,Lincoln,America/Chicago,Science\n");

        Assert.Null(file.Problem);
        var request = Assert.Single(file.Lines).Request;
        Assert.Equal(("mentor", "HR-7", "maria@a.org", "America/Chicago"), (request.Role, request.ExternalId, request.Email, request.TimeZone));
        Assert.Equal(["Department"], file.IgnoredColumns);
    }

    [Fact]
    public void Given_a_header_without_the_email_column_when_read_then_the_file_is_refused_naming_it()
    {
        var file = Csv("role,externalId,name,site\nmentee,HR-1,Sam,Lincoln\n");

        Assert.Equal(400, file.Problem?.Status);
        Assert.Contains("'email'", file.Problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'name'", file.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_latin1_file_when_read_then_it_is_refused_as_not_utf8()
    {
        var latin1 = Encoding.Latin1.GetBytes($"{Header}\nmentee,HR-1,Zoë,zoe@a.org,Lincoln,sel,virtual,UTC,\n");

        var file = ImportFile.ReadCsv(latin1);

        Assert.Equal(400, file.Problem?.Status);
        Assert.Equal("file", file.Problem!.Field);
        Assert.Contains("not UTF-8", file.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_quoted_fields_with_separators_quotes_and_line_breaks_when_read_then_each_is_one_value()
    {
        var file = Csv($"{Header}\r\nmentee,HR-1,\"Rivera, Sam \"\"Sammy\"\"\",sam@a.org,\"Lincoln\r\nAnnex\",\"sel; family-engagement\",virtual,UTC,\r\n");

        var request = Assert.Single(file.Lines).Request;
        Assert.Equal("Rivera, Sam \"Sammy\"", request.Name);
        Assert.Equal("Lincoln\r\nAnnex", request.Site);
        Assert.Equal(["sel", "family-engagement"], request.Topics);
    }

    [Fact]
    public void Given_a_spreadsheet_export_with_a_sep_line_trailing_empty_columns_and_rows_when_read_then_only_the_people_are_rows()
    {
        var file = Csv("sep=;\r\nrole;externalId;name;email;site;topics;;\r\nmentee;HR-1;Sam;sam@a.org;Lincoln;sel|math;;\r\n;;;;;;;\r\n;;;;;;;\r\n\r\n");

        Assert.Null(file.Problem);
        var request = Assert.Single(file.Lines).Request;
        Assert.Equal(["sel", "math"], request.Topics);
        Assert.Empty(file.IgnoredColumns);
    }

    [Fact]
    public void Given_10001_rows_when_read_then_the_file_is_too_large_naming_the_limit()
    {
        var rows = string.Concat(Enumerable.Range(0, 10_001).Select(i => $"mentee,HR-{i},Sam,s{i}@a.org,Lincoln,sel,virtual,UTC,\n"));

        var file = Csv($"{Header}\n{rows}");

        Assert.Equal(413, file.Problem?.Status);
        Assert.Contains("10,000", file.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("10,001", file.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_10000_rows_when_read_then_every_one_is_a_row()
    {
        var rows = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"mentee,HR-{i},Sam,s{i}@a.org,Lincoln,sel,virtual,UTC,\n"));

        var file = Csv($"{Header}\n{rows}");

        Assert.Null(file.Problem);
        Assert.Equal(10_000, file.Lines.Count);
        Assert.Equal(10_000, file.Lines[^1].Row);
    }

    [Fact]
    public void Given_a_json_array_of_10001_bodies_when_read_then_it_is_too_large()
    {
        var body = "[" + string.Join(",", Enumerable.Repeat("{\"role\":\"mentee\"}", 10_001)) + "]";

        Assert.Equal(413, ImportFile.ReadJson(Utf8(body)).Problem?.Status);
    }

    [Fact]
    public void Given_a_json_object_instead_of_an_array_when_read_then_the_body_is_refused()
    {
        var file = ImportFile.ReadJson(Utf8("{\"role\":\"mentee\"}"));

        Assert.Equal((400, "body"), (file.Problem?.Status, file.Problem?.Field));
    }

    [Fact]
    public void Given_a_json_item_with_a_capacity_of_the_wrong_type_when_planned_then_only_that_row_is_rejected_naming_the_field()
    {
        var file = ImportFile.ReadJson(Utf8("""
            [{"role":"mentor","externalId":"HR-1","name":"Maria","email":"m@a.org","site":"Lincoln","capacity":"lots"},
             {"role":"mentee","externalId":"HR-2","name":"Sam","email":"s@a.org","site":"Lincoln"}]
            """));

        var planned = Planned(file);

        Assert.Contains("capacity", planned[0].Errors!.Keys);
        Assert.NotNull(planned[1].Enrolment);
    }

    [Fact]
    public void Given_a_row_with_a_bad_email_and_a_capacity_that_is_not_a_number_when_planned_then_it_is_rejected_with_both_fields_and_the_others_go_on()
    {
        var file = Csv($"{Header}\nmentor,HR-1,Maria,not-an-email,Lincoln,sel,virtual,UTC,three\nmentee,HR-2,Sam,sam@a.org,Lincoln,sel,virtual,UTC,\n");

        var planned = Planned(file);

        Assert.Null(planned[0].Enrolment);
        Assert.Equal(["'email' must be an email address."], planned[0].Errors!["email"]);
        Assert.Equal(["'capacity' must be a whole number."], planned[0].Errors!["capacity"]);
        Assert.Equal(Enrolment.IdFor(ProgramId, "mentee", "HR-2"), planned[1].Enrolment!.EnrolmentId);
    }

    [Fact]
    public void Given_a_row_with_an_unknown_role_when_planned_then_it_gets_the_single_endpoints_message()
    {
        var planned = Planned(Csv($"{Header}\nteacher,HR-1,Sam,sam@a.org,Lincoln,sel,virtual,UTC,\n"));

        Assert.Equal(["'role' must be one of: mentor, mentee."], planned[0].Errors!["role"]);
    }

    [Fact]
    public void Given_the_same_person_twice_in_a_file_when_planned_then_the_later_row_is_rejected_naming_the_first()
    {
        var planned = Planned(Csv($"{Header}\nmentee,HR-1,Sam,sam@a.org,Lincoln,sel,virtual,UTC,\nmentor,HR-1,Sam,sam@a.org,Lincoln,sel,virtual,UTC,2\nmentee, hr-1 ,Sam R,sam@a.org,Lincoln,sel,virtual,UTC,\n"));

        Assert.NotNull(planned[0].Enrolment);
        Assert.NotNull(planned[1].Enrolment); // the same externalId as a mentor is another enrolment
        Assert.Null(planned[2].Enrolment);
        Assert.Contains("Row 1 already enrols this person", Assert.Single(planned[2].Errors!["externalId"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_new_person_when_decided_then_the_row_is_created_with_the_enrolment_event()
    {
        var row = Planned(Csv($"{Header}\nmentee,HR-1,Sam,sam@a.org,Lincoln,sel,virtual,UTC,\n"))[0];

        var (outcome, events) = ImportRows.Decide(OpenProgram(), null, row);

        Assert.Equal(ImportResults.Created, outcome.Result);
        Assert.Equal(row.Enrolment, Assert.Single(events));
    }

    [Fact]
    public void Given_the_person_enrolled_with_the_same_profile_when_decided_again_then_the_row_is_unchanged_and_nothing_is_appended()
    {
        var row = Planned(Csv($"{Header}\nmentee,HR-1,Sam,sam@a.org,Lincoln,sel,virtual,UTC,\n"))[0];
        var existing = Enrolment.Create(row.Enrolment! with { EnrolledAt = Now.AddDays(-3) });

        var (outcome, events) = ImportRows.Decide(OpenProgram(), existing, row);

        Assert.Equal((ImportResults.Unchanged, existing.Id), (outcome.Result, outcome.EnrolmentId));
        Assert.Empty(events);
    }

    [Fact]
    public void Given_the_person_enrolled_at_another_site_when_decided_then_the_row_is_updated_with_a_profile_change()
    {
        var row = Planned(Csv($"{Header}\nmentee,HR-1,Sam,sam@a.org,Roosevelt,sel,virtual,UTC,\n"))[0];
        var existing = Enrolment.Create(row.Enrolment! with { Site = "Lincoln" });

        var (outcome, events) = ImportRows.Decide(OpenProgram(), existing, row);

        Assert.Equal(ImportResults.Updated, outcome.Result);
        Assert.Equal("Roosevelt", Assert.IsType<ParticipantProfileChanged>(Assert.Single(events)).Profile.Site);
    }

    [Fact]
    public void Given_enrolment_closed_when_a_new_person_is_decided_then_the_row_is_rejected_with_the_reason_and_no_event()
    {
        var row = Planned(Csv($"{Header}\nmentee,HR-1,Sam,sam@a.org,Lincoln,sel,virtual,UTC,\n"))[0];
        var closed = OpenProgram().Apply(new EnrolmentClosed(ProgramId, Now));

        var (outcome, events) = ImportRows.Decide(closed, null, row);

        Assert.Equal(ImportResults.Rejected, outcome.Result);
        Assert.Equal(["Enrolment in this program is closed."], outcome.Errors!["program"]);
        Assert.Empty(events);
    }
}

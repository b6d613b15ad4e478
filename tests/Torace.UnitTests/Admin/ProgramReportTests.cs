using System.Text;
using Torace.Admin.Gateway;
using Torace.Admin.Programs;

namespace Torace.UnitTests.Admin;

public sealed class ProgramReportTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    static EnrolmentItem Person(string role, string name, string site, string? jobRole = null) =>
        new(Guid.NewGuid(), role, name, name, $"{name}@example.org", site, ["sel"], "virtual", role == "mentor" ? 3 : null, jobRole, "active", Now.AddDays(-7));

    static EngagementItem Engagement(EnrolmentItem mentor, IReadOnlyList<EnrolmentItem> mentees, string[] sessions, params (string Status, int DueInDays)[] touchpoints) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "active", Member(mentor), [.. mentees.Select(Member)],
            [.. sessions.Select((s, i) => new EngagementSessionItem(i + 1, "virtual", Now.AddDays(i), s))],
            [.. touchpoints.Select(t => new EngagementTouchpointItem(Guid.NewGuid(), "action-steps", 1, Now.AddDays(t.DueInDays), t.Status))]);

    static EngagementPersonItem Member(EnrolmentItem e) => new(e.Id, e.Name, e.Email, e.Site);

    [Fact]
    public void Given_two_engagements_when_reported_then_the_funnel_rates_touchpoints_and_load_count_each_mentee_once()
    {
        var (maria, lee, idle) = (Person("mentor", "maria", "Lincoln"), Person("mentor", "lee", "Lincoln"), Person("mentor", "ida", "Lincoln"));
        var (sam, ana, kim, joe) = (Person("mentee", "sam", "Roosevelt", "teacher"), Person("mentee", "ana", "Roosevelt", "teacher"),
            Person("mentee", "kim", "Grant", "counsellor"), Person("mentee", "joe", "Grant", "teacher"));
        var engagements = new[]
        {
            Engagement(maria, [sam, ana], ["completed", "completed"], ("submitted", -3), ("due", -1)),
            Engagement(lee, [kim], ["completed", "scheduled"], ("due", 1), ("scheduled", 5)),
        };

        var report = ProgramReport.From([maria, lee, idle, sam, ana, kim, joe], engagements, Now);

        Assert.Equal([("Enrolled mentees", 4.0), ("Matched", 3), ("First session done", 3), ("Every session done", 2)], report.Funnel.Select(b => (b.Label, b.Value)));
        Assert.Equal([("Grant", 50.0), ("Roosevelt", 100)], report.MatchRateBySite.Select(b => (b.Label, b.Value)));
        Assert.Equal([("counsellor", 100.0), ("teacher", 66.7)], report.MatchRateByRole.Select(b => (b.Label, b.Value)));
        Assert.Equal([("Submitted", 1.0), ("Overdue", 1), ("Due now", 1), ("Coming up", 1)], report.Touchpoints.Select(b => (b.Label, b.Value)));
        Assert.Equal([("0 mentees", 1.0), ("1 mentee", 1), ("2 mentees", 1)], report.MentorLoad.Select(b => (b.Label, b.Value)));
    }

    [Fact]
    public void Given_a_table_with_commas_quotes_line_breaks_and_a_formula_when_exported_then_a_spreadsheet_reads_each_cell_as_text()
    {
        var csv = CsvFile.Of(["name", "note"], [["Lopez, Maria", "said \"hi\"\nthen left"], ["=HYPERLINK(\"x\")", 3.5]]);

        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        Assert.Equal("name,note\r\n\"Lopez, Maria\",\"said \"\"hi\"\"\nthen left\"\r\n\"'=HYPERLINK(\"\"x\"\")\",3.5\r\n", Encoding.UTF8.GetString(csv[3..]));
    }
}

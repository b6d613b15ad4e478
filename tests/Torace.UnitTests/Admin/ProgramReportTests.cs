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
            [.. touchpoints.Select(t => new EngagementTouchpointItem(Guid.NewGuid(), "action-steps", 1, mentees[0].Id, Now.AddDays(t.DueInDays), t.Status))]);

    static EngagementPersonItem Member(EnrolmentItem e) => new(e.Id, e.Name, e.Email, e.Site);

    [Fact]
    public void Given_two_engagements_when_reported_then_the_funnel_rates_touchpoints_and_load_count_each_mentee_once()
    {
        var (maria, lee, idle) = (Person("mentor", "maria", "Lincoln"), Person("mentor", "lee", "Lincoln"), Person("mentor", "ida", "Lincoln"));
        var (sam, ana, kim, joe) = (Person("mentee", "sam", "Roosevelt", "teacher"), Person("mentee", "ana", "Roosevelt", "teacher"),
            Person("mentee", "kim", "Grant", "counsellor"), Person("mentee", "joe", "Grant", "teacher"));
        var engagements = new[]
        {
            Engagement(maria, [sam, ana], ["completed", "completed"], ("submitted", -3), ("late", -4)),
            Engagement(lee, [kim], ["completed", "scheduled"], ("due", 1), ("pending", 5)),
        };

        var report = ProgramReport.From([maria, lee, idle, sam, ana, kim, joe], engagements, Now);

        Assert.Equal([("Enrolled mentees", 4.0), ("Matched", 3), ("First session done", 3), ("Every session done", 2)], report.Funnel.Select(b => (b.Label, b.Value)));
        Assert.Equal([("Grant", 50.0), ("Roosevelt", 100)], report.MatchRateBySite.Select(b => (b.Label, b.Value)));
        Assert.Equal([("counsellor", 100.0), ("teacher", 66.7)], report.MatchRateByRole.Select(b => (b.Label, b.Value)));
        Assert.Equal([("Submitted", 1.0), ("Overdue", 1), ("Due now", 1), ("Coming up", 1)], report.Touchpoints.Select(b => (b.Label, b.Value)));
        Assert.Equal([("0 mentees", 1.0), ("1 mentee", 1), ("2 mentees", 1)], report.MentorLoad.Select(b => (b.Label, b.Value)));
    }

    [Fact]
    public void Given_the_apis_program_report_when_reported_then_touchpoints_load_and_waits_come_from_it_and_the_funnel_from_the_engagements()
    {
        var (maria, sam) = (Person("mentor", "maria", "Lincoln"), Person("mentee", "sam", "Roosevelt"));
        var server = new ProgramReportItem(Guid.NewGuid(), Now, 1,
            new ReportRowItem("all", 2, 2, 0, 3.5, 10, 2, TouchpointsOnTime: 4, TouchpointsLate: 1, TouchpointsMissed: 2, ReflectionsSubmitted: 3), [], [],
            [new MentorLoadItem(0, 0), new MentorLoadItem(1, 1)]);

        var report = ProgramReport.From([maria, sam], [Engagement(maria, [sam], ["completed", "scheduled"])], Now, server);

        Assert.Equal([("On time", 4.0), ("Late", 1), ("Missed", 2), ("Reflections submitted", 3)], report.Touchpoints.Select(b => (b.Label, b.Value)));
        Assert.Equal([("0 mentees", 0.0), ("1 mentee", 1)], report.MentorLoad.Select(b => (b.Label, b.Value)));
        Assert.Equal([3.5, 10], report.TimeToMatch!.Select(b => b.Value));
        Assert.Equal(1, report.Funnel.Single(b => b.Label == "First session done").Value);
    }

    [Fact]
    public void Given_a_table_with_commas_quotes_line_breaks_and_a_formula_when_exported_then_a_spreadsheet_reads_each_cell_as_text()
    {
        var csv = CsvFile.Of(["name", "note"], [["Lopez, Maria", "said \"hi\"\nthen left"], ["=HYPERLINK(\"x\")", 3.5]]);

        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        Assert.Equal("name,note\r\n\"Lopez, Maria\",\"said \"\"hi\"\"\nthen left\"\r\n\"'=HYPERLINK(\"\"x\"\")\",3.5\r\n", Encoding.UTF8.GetString(csv[3..]));
    }
}

public sealed class HistoryWordsTests
{
    [Fact]
    public void A_timeline_entry_is_put_in_words_from_its_type_and_facts()
    {
        var entry = new HistoryItem(Guid.NewGuid(), "ParticipantEnrolled", DateTimeOffset.UtcNow, "programs", "integrator:key",
            new Dictionary<string, string> { ["name"] = "Sam", ["role"] = "mentee", ["site"] = "Lincoln" });

        Assert.Equal("Sam enrolled as mentee (Lincoln)", Words.History(entry));
        Assert.Equal("Session 2 completed", Words.History(entry with { Type = "SessionCompleted", Facts = new Dictionary<string, string> { ["sessionNumber"] = "2" } }));
        Assert.Equal("SomethingNew", Words.History(entry with { Type = "SomethingNew" }));
    }
}

using System.Text.Json;
using Torace.Admin.Programs;

namespace Torace.UnitTests.Admin;

public sealed class NewProgramFormTests
{
    static readonly TimeZoneInfo Chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
    static readonly DateTimeOffset Now = new(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);

    static NewProgramForm Filled(string template) => NewProgramForm.From(ProgramTemplates.Find(template)).With(f =>
    {
        f.Name = "Lesson planning pairs";
        f.Topic = "lesson planning";
        f.FirstSession = new DateTime(2027, 1, 12);
        f.StartTime = "15:30";
        f.Message = "Bring one lesson plan.";
    });

    [Fact]
    public void Given_an_empty_form_when_checked_then_name_topic_and_message_are_asked_for_in_words()
    {
        var problems = NewProgramForm.From(ProgramTemplates.Find("two-session")).Problems(Now, Chicago);

        Assert.Equal(["message", "name", "topic"], problems.Keys.Order());
        Assert.Equal("Give the program a name people will recognise in their email.", problems["name"]);
    }

    [Fact]
    public void Given_a_first_session_in_the_past_a_bad_time_or_guide_link_when_checked_then_each_is_named()
    {
        var past = Filled("one-session").With(f => f.FirstSession = new DateTime(2026, 11, 30));
        var badTime = Filled("one-session").With(f => f.StartTime = "half past three");
        var badLink = Filled("one-session").With(f => f.GuideUrl = "guides/one");

        Assert.Equal(["firstSession"], past.Problems(Now, Chicago).Keys);
        Assert.Equal(["startTime"], badTime.Problems(Now, Chicago).Keys);
        Assert.Equal(["guideUrl"], badLink.Problems(Now, Chicago).Keys);
    }

    [Fact]
    public void Given_the_three_session_template_when_sent_then_sessions_are_two_weeks_apart_in_the_districts_time_with_feedback_between()
    {
        var request = JsonSerializer.SerializeToElement(Filled("three-session").ToRequest(Chicago));

        var starts = request.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("startsAt").GetDateTimeOffset()).ToList();
        Assert.Equal([new DateTimeOffset(2027, 1, 12, 21, 30, 0, TimeSpan.Zero), new(2027, 1, 26, 21, 30, 0, TimeSpan.Zero), new(2027, 2, 9, 21, 30, 0, TimeSpan.Zero)],
            starts.Select(s => s.ToUniversalTime()));
        Assert.Equal([1, 2], request.GetProperty("touchpoints").EnumerateArray().Select(t => t.GetProperty("afterSession").GetInt32()));
        Assert.All(request.GetProperty("touchpoints").EnumerateArray(), t => Assert.Equal("plan-feedback", t.GetProperty("kind").GetString()));
        Assert.Equal("topic-intervention", request.GetProperty("kind").GetString());
    }

    [Fact]
    public void Given_a_filled_form_when_another_template_is_chosen_then_the_format_changes_and_what_was_written_stays()
    {
        var form = Filled("two-session");

        form.Apply(ProgramTemplates.Find("speed-mentoring"));
        var request = JsonSerializer.SerializeToElement(form.ToRequest(Chicago));

        Assert.Equal("Lesson planning pairs", form.Name);
        Assert.Equal("speed-mentoring", request.GetProperty("kind").GetString());
        Assert.Equal(3, request.GetProperty("matching").GetProperty("rounds").GetInt32());
        Assert.Equal(0, request.GetProperty("touchpoints").GetArrayLength());
        Assert.Empty(form.Problems(Now, Chicago));
    }
}

static class FormExtensions
{
    public static NewProgramForm With(this NewProgramForm form, Action<NewProgramForm> change)
    {
        change(form);
        return form;
    }
}

public sealed class NewProgramFormDaylightSavingTests
{
    [Fact]
    public void Given_sessions_either_side_of_the_change_to_summer_time_when_sent_then_each_starts_at_the_same_local_time()
    {
        var chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        var form = NewProgramForm.From(ProgramTemplates.Find("two-session"));
        form.FirstSession = new DateTime(2027, 3, 9);
        form.StartTime = "15:30";

        var starts = System.Text.Json.JsonSerializer.SerializeToElement(form.ToRequest(chicago)).GetProperty("sessions").EnumerateArray()
            .Select(s => TimeZoneInfo.ConvertTime(s.GetProperty("startsAt").GetDateTimeOffset(), chicago)).ToList();

        Assert.Equal([new DateTime(2027, 3, 9, 15, 30, 0), new DateTime(2027, 3, 23, 15, 30, 0)], starts.Select(s => s.DateTime));
    }
}

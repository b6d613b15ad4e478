using System.Text.Json;
using Torace.Admin.Programs;
using Torace.Programs.Templates;

namespace Torace.UnitTests.Admin;

public sealed class NewProgramFormTests
{
    static readonly TimeZoneInfo Chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
    static readonly DateTimeOffset Now = new(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);

    static NewProgramForm Filled(string template) => NewProgramForm.From(RecordingGateway.Template(template)).With(f =>
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
        var problems = NewProgramForm.From(RecordingGateway.Template("two-session")).With(f => f.Message = "").Problems(Now, Chicago);

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

        form.Apply(RecordingGateway.Template("speed-mentoring"));
        var request = JsonSerializer.SerializeToElement(form.ToRequest(Chicago));

        Assert.Equal("Lesson planning pairs", form.Name);
        Assert.Equal("speed-mentoring", request.GetProperty("kind").GetString());
        Assert.Equal(3, request.GetProperty("matching").GetProperty("rounds").GetInt32());
        Assert.Equal(0, request.GetProperty("touchpoints").GetArrayLength());
        Assert.Empty(form.Problems(Now, Chicago));
    }

    [Fact]
    public void Given_a_template_with_the_districts_guide_when_applied_then_its_message_and_guide_link_are_filled_in()
    {
        var guides = new DistrictGuides(DistrictGuides.DocumentId, "https://district.example.org/one.pdf", "https://district.example.org/two.pdf", null);

        var form = NewProgramForm.From(RecordingGateway.Template("two-session", guides));

        Assert.Equal(ProgramTemplates.Find("two-session")!.MessageText, form.Message);
        Assert.Equal("https://district.example.org/two.pdf", form.GuideUrl);
        Assert.Equal("two-session guide", form.GuideLabel);
    }

    [Fact]
    public void Given_the_coordinators_own_message_and_link_when_another_template_is_chosen_then_they_stay_and_untouched_ones_follow_the_template()
    {
        var guides = new DistrictGuides(DistrictGuides.DocumentId, "https://district.example.org/one.pdf", "https://district.example.org/two.pdf", null);
        var own = NewProgramForm.From(RecordingGateway.Template("two-session", guides)).With(f => (f.Message, f.GuideUrl) = ("Bring a plan.", "https://school.example.org/mine"));
        var untouched = NewProgramForm.From(RecordingGateway.Template("two-session", guides));

        own.Apply(RecordingGateway.Template("speed-mentoring", guides));
        untouched.Apply(RecordingGateway.Template("speed-mentoring", guides));

        Assert.Equal(("Bring a plan.", "https://school.example.org/mine"), (own.Message, own.GuideUrl));
        Assert.Equal((ProgramTemplates.Find("speed-mentoring")!.MessageText, "https://district.example.org/one.pdf"), (untouched.Message, untouched.GuideUrl));
    }

    [Fact]
    public void Given_a_draft_when_read_into_the_form_and_sent_back_then_its_definition_is_unchanged()
    {
        var draft = RecordingGateway.Program();

        var request = JsonSerializer.SerializeToElement(NewProgramForm.From(draft, Chicago).ToRequest(Chicago));

        Assert.Equal(draft.Sessions.Select(s => s.StartsAt), request.GetProperty("sessions").EnumerateArray().Select(s => (DateTimeOffset?)s.GetProperty("startsAt").GetDateTimeOffset().ToUniversalTime()));
        Assert.Equal(("Lesson planning pairs", "other", "manual"), (request.GetProperty("name").GetString(), request.GetProperty("pool").GetProperty("sites").GetString(),
            request.GetProperty("matching").GetProperty("review").GetString()));
        Assert.Equal("https://example.org/guides/two", request.GetProperty("message").GetProperty("guideUrl").GetString());
        Assert.Equal("action-steps", request.GetProperty("touchpoints")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void Given_a_draft_with_rules_the_form_does_not_show_when_edited_and_sent_back_then_they_stay_as_they_were()
    {
        var form = NewProgramForm.From(RecordingGateway.Program(), Chicago).With(f => f.PoolSites = "any");

        var request = JsonSerializer.SerializeToElement(form.ToRequest(Chicago));

        var pool = request.GetProperty("pool");
        Assert.Equal(("any", "instructional coach", "HR-2", true), (pool.GetProperty("sites").GetString(), pool.GetProperty("mentorRoles")[0].GetString(),
            pool.GetProperty("exclusions")[0].GetProperty("mentee").GetString(), pool.GetProperty("noRepeatPairing").GetBoolean()));
        Assert.Equal(8, request.GetProperty("matching").GetProperty("weights").GetProperty("topic").GetInt32());
        Assert.Equal(45, request.GetProperty("sessionMinutes").GetInt32());
        Assert.Equal(7, request.GetProperty("touchpoints")[0].GetProperty("dueAfterDays").GetInt32());
    }

    [Fact]
    public void Given_the_APIs_field_errors_when_read_for_the_form_then_each_lands_on_the_field_that_shows_it()
    {
        var fields = NewProgramForm.FieldsOf(new Dictionary<string, string[]>
        {
            ["message.text"] = ["'message.text' is required."],
            ["message.guideUrl"] = ["'message.guideUrl' must be an absolute URL."],
            ["sessions[0].modality"] = ["'sessions[0].modality' must be one of: virtual, in-person, either."],
            ["name"] = ["'name' is required."],
        });

        Assert.Equal(["guideUrl", "message", "name", "sessions"], fields.Keys.Order());
        Assert.Equal("'message.guideUrl' must be an absolute URL.", fields["guideUrl"]);
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
        var form = NewProgramForm.From(RecordingGateway.Template("two-session"));
        form.FirstSession = new DateTime(2027, 3, 9);
        form.StartTime = "15:30";

        var starts = System.Text.Json.JsonSerializer.SerializeToElement(form.ToRequest(chicago)).GetProperty("sessions").EnumerateArray()
            .Select(s => TimeZoneInfo.ConvertTime(s.GetProperty("startsAt").GetDateTimeOffset(), chicago)).ToList();

        Assert.Equal([new DateTime(2027, 3, 9, 15, 30, 0), new DateTime(2027, 3, 23, 15, 30, 0)], starts.Select(s => s.DateTime));
    }
}

using Torace.Platform.Api;
using Torace.Programs.Lifecycle;
using Torace.Programs.Templates;

namespace Torace.UnitTests.Programs;

public class ProgramTemplateTests
{
    static readonly DistrictGuides Guides = new(DistrictGuides.DocumentId, "https://d.example.org/one", "https://d.example.org/two", "https://d.example.org/three");

    static CreateProgramRequest Named(string template) => new("Spring SEL", null, "sel", null, null, null, null, null, null, null, null, Template: template);

    static ProgramDefinition Defined(CreateProgramRequest request, DistrictGuides? guides = null)
    {
        var validation = new Validation();
        var definition = request.WithDefaults(guides ?? Guides, validation).ToDefinition(validation);
        Assert.True(validation.IsValid, string.Join("; ", validation.Problem().ProblemDetails.Errors.SelectMany(e => e.Value)));
        return definition!;
    }

    [Fact]
    public void Every_template_alone_with_a_name_and_topic_makes_a_valid_program()
    {
        foreach (var template in ProgramTemplates.All)
        {
            var definition = Defined(Named(template.Id));

            Assert.Equal(template.Kind, definition.Kind);
            Assert.Equal(template.Sessions, definition.Sessions.Count);
            Assert.Equal(template.Format, definition.Format);
            Assert.Equal(Guides.For(template.Sessions), definition.Message.GuideUrl);
        }
    }

    [Fact]
    public void A_three_session_template_puts_a_touchpoint_halfway_between_each_two_sessions()
    {
        var definition = Defined(Named("three-session"));

        Assert.Equal([(1, "plan-feedback", 7), (2, "plan-feedback", 7)], definition.Touchpoints.Select(t => (t.AfterSession, t.Kind, t.DueAfterDays)));
        Assert.True(definition.PreReflection);
        Assert.True(definition.PostReflection);
    }

    [Fact]
    public void Speed_mentoring_takes_its_rounds_and_informational_interviews_the_other_site_pool()
    {
        Assert.Equal(3, Defined(Named("speed-mentoring")).Matching.Rounds);
        Assert.Equal("other", Defined(Named("informational-interviews")).Pool.Sites);
        Assert.Equal(4, Defined(Named("group-coaching")).GroupSize);
    }

    [Fact]
    public void What_the_request_says_wins_over_the_template()
    {
        var request = Named("two-session") with
        {
            GroupSize = 2,
            Sessions = [new SessionRequest("in-person", null), new SessionRequest("virtual", null), new SessionRequest("virtual", null)],
            Message = new MessageRequest("Our own welcome", "https://d.example.org/custom"),
        };

        var definition = Defined(request);

        Assert.Equal(2, definition.GroupSize);
        Assert.Equal(3, definition.Sessions.Count);
        Assert.Equal(2, definition.Touchpoints.Count);
        Assert.Equal("Our own welcome", definition.Message.Text);
        Assert.Equal("https://d.example.org/custom", definition.Message.GuideUrl);
    }

    [Fact]
    public void Without_a_template_the_district_guide_for_the_format_is_the_default_guide()
    {
        var request = new CreateProgramRequest("Career moves", "one-off", "careers", [new SessionRequest("virtual", null), new SessionRequest("virtual", null)],
            null, null, null, null, null, null, new MessageRequest("Hello", null));

        Assert.Equal("https://d.example.org/two", Defined(request).Message.GuideUrl);
        Assert.Null(Defined(request, DistrictGuides.None).Message.GuideUrl);
    }

    [Fact]
    public void An_unknown_template_is_named_in_the_problem()
    {
        var validation = new Validation();

        Named("four-session-deluxe").WithDefaults(Guides, validation);

        Assert.Contains("template", validation.Problem().ProblemDetails.Errors.Keys);
    }

    [Fact]
    public void A_guide_link_must_be_an_absolute_web_address()
    {
        var validation = new Validation();

        Assert.Null(new GuidesRequest("not a url", null, "ftp://x.example.org/guide").ToGuides(validation));

        Assert.Equal(["oneSession", "threeSession"], validation.Problem().ProblemDetails.Errors.Keys.Order());
    }
}

using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Torace.Admin.Programs;
using Torace.Platform.Tenancy;
using Torace.Programs.Templates;

namespace Torace.UnitTests.Admin;

/// <summary>The new-program page against a recording gateway: the templates it offers, what it refuses to send, and what it sends.</summary>
public sealed class NewProgramPageTests : AdminComponentTest
{
    IRenderedComponent<NewProgramPage> RenderPage() => RenderWithProviders<NewProgramPage>();

    [Fact]
    public void Given_the_gateway_answers_the_templates_when_the_page_opens_then_it_offers_every_format_the_API_has()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(ProgramTemplates.All.Select(t => t.Title),
            page.FindAll("[data-testid=templates] [role=button] b").Select(b => b.TextContent)));
        Assert.Equal("GET /api/v1/program-templates", gateway.Requests[0].Line);
        Assert.Equal("true", page.FindAll("[role=button]").Single(c => c.TextContent.Contains("Two-session intervention", StringComparison.Ordinal)).GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Given_the_gateway_fails_when_the_page_opens_then_it_says_the_formats_could_not_be_loaded_and_offers_to_try_again()
    {
        gateway.On("GET /api/v1/program-templates", _ => RecordingGateway.Problem(HttpStatusCode.ServiceUnavailable, "Programs is not answering."));

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("The program formats could not be loaded: Programs is not answering.", page.Find("[data-testid=problem]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=templates]"));
        Assert.True(HasButton(page, "Try again"));
        Assert.False(HasButton(page, "Create as draft"));
    }

    [Fact]
    public void Given_the_districts_guides_when_a_template_is_chosen_then_its_guide_link_and_message_are_filled_in()
    {
        gateway.Guides = new DistrictGuides(DistrictGuides.DocumentId, "https://district.example.org/one.pdf", "https://district.example.org/two.pdf", null);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal("https://district.example.org/two.pdf", Field(page, "Link to the two-session guide").GetAttribute("value")));

        page.FindAll("[role=button]").Single(c => c.TextContent.Contains("Speed mentoring", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal("https://district.example.org/one.pdf", Field(page, "Link to the one-session guide").GetAttribute("value")));
        Assert.Equal(ProgramTemplates.Find("speed-mentoring")!.MessageText, Field(page, "Your message").GetAttribute("value"));
    }

    [Fact]
    public void Given_an_empty_form_when_created_then_the_missing_answers_are_marked_and_nothing_is_sent()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.True(HasButton(page, "Create and open for enrolment")));

        Button(page, "Create and open for enrolment").Click();

        page.WaitForAssertion(() => Assert.Contains("Give the program a name people will recognise in their email.", page.Markup, StringComparison.Ordinal));
        Assert.Contains("Some answers need another look", page.Find("[data-testid=problem]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["GET /api/v1/program-templates"], gateway.Requests.Select(r => r.Line));
    }

    [Fact]
    public void Given_the_API_refuses_a_field_when_created_then_its_words_are_shown_at_that_field()
    {
        gateway.On("POST /api/v1/programs", _ => RecordingGateway.Problem(HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            new() { ["message.guideUrl"] = ["'message.guideUrl' must be an absolute URL."] }));
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.True(HasButton(page, "Create as draft")));
        Field(page, "Program name").Input("Lesson planning pairs");
        Field(page, "Topic").Input("lesson planning");

        Button(page, "Create as draft").Click();

        page.WaitForAssertion(() => Assert.Contains("The program was not created", page.Find("[data-testid=problem]").TextContent, StringComparison.Ordinal));
        var guideField = Field(page, "Link to the two-session guide").Closest(".mud-input-control")!;
        Assert.Contains("'message.guideUrl' must be an absolute URL.", guideField.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_three_session_template_and_a_filled_form_when_created_and_opened_then_one_keyed_create_and_an_open_are_sent()
    {
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=templates]")));
        page.FindAll("[role=button]").Single(c => c.TextContent.Contains("Three-session intervention", StringComparison.Ordinal)).Click();
        Field(page, "Program name").Input("Lesson planning pairs");
        Field(page, "Topic").Input("lesson planning");
        Field(page, "Your message").Input("Bring one lesson plan.");

        page.WaitForAssertion(() => Assert.Contains("3 sessions, 14 days apart", page.Find("[data-testid=email-preview]").TextContent, StringComparison.Ordinal));
        Button(page, "Create and open for enrolment").Click();

        page.WaitForAssertion(() => Assert.True(gateway.Requests.Count == 3, page.FindAll("[data-testid=problem]").FirstOrDefault()?.TextContent));
        var (create, open) = (gateway.Requests[1], gateway.Requests[2]);
        Assert.Equal("POST /api/v1/programs", create.Line);
        Assert.StartsWith("admin-new-program-", create.IdempotencyKey, StringComparison.Ordinal);
        var (coordinator, _) = await CoordinatorToken.Check(key, create.Authorization!["Bearer ".Length..]);
        Assert.Equal(("demo-a", "user-1", CoordinatorToken.Coordinator), (coordinator!.TenantId, coordinator.Subject, coordinator.Role));
        Assert.Equal(3, create.Body!.Value.GetProperty("sessions").GetArrayLength());
        Assert.Equal("Bring one lesson plan.", create.Body.Value.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal($"POST /api/v1/programs/{RecordingGateway.ProgramId}/open", open.Line);
        Assert.EndsWith($"/programs/{RecordingGateway.ProgramId}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }
}

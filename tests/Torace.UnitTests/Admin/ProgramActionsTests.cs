using System.Net;
using Bunit;
using Torace.Admin.Gateway;
using Torace.Admin.Programs;

namespace Torace.UnitTests.Admin;

/// <summary>The program's own actions: each offered only when its state allows, closing enrolment, and cancelling with a reason.</summary>
public sealed class ProgramActionsTests : AdminComponentTest
{
    ProgramItem? changed;

    IRenderedComponent<ProgramActions> RenderActions(ProgramItem program) =>
        RenderWithProviders<ProgramActions>(p => p.Add(a => a.Program, program).Add(a => a.Changed, (ProgramItem c) => changed = c));

    static readonly string EngagementsPath = $"GET /api/v1/programs/{RecordingGateway.ProgramId}/engagements";

    [Theory]
    [InlineData("draft", false, "Edit|Open for enrolment|Cancel program…")]
    [InlineData("open", true, "Close enrolment|Cancel program…")]
    [InlineData("running", false, "Cancel program…")]
    [InlineData("completed", false, "")]
    [InlineData("cancelled", false, "")]
    public void Given_a_program_in_a_state_then_only_the_actions_that_state_allows_are_offered(string status, bool enrolmentOpen, string offered)
    {
        var actions = RenderActions(RecordingGateway.Program(status, enrolmentOpen));

        Assert.Equal(offered, string.Join("|", actions.FindAll("[data-testid=program-actions] button, [data-testid=program-actions] a").Select(b => b.TextContent.Trim())));
    }

    [Fact]
    public void Given_an_open_program_when_enrolment_is_closed_then_close_is_sent_and_the_page_gets_the_program_as_the_API_answered()
    {
        gateway.On($"POST /api/v1/programs/{RecordingGateway.ProgramId}/close", _ => RecordingGateway.Json(RecordingGateway.Program("open", enrolmentOpen: false)));
        var actions = RenderActions(RecordingGateway.Program("open", enrolmentOpen: true));

        Button(actions, "Close enrolment").Click();

        actions.WaitForAssertion(() => Assert.False(changed?.EnrolmentOpen ?? true));
        Assert.Equal([$"POST /api/v1/programs/{RecordingGateway.ProgramId}/close"], gateway.Requests.Select(r => r.Line));
    }

    [Fact]
    public void Given_published_matches_when_cancel_is_asked_then_the_dialog_names_each_matched_participant_who_will_be_emailed()
    {
        gateway.On(EngagementsPath, _ => RecordingGateway.Json(new Page<EngagementItem>([Engagement("Maria Lopez", "maria@lincoln.example.org", "Sam Okafor", "sam@roosevelt.example.org")], null, 1)));
        var actions = RenderActions(RecordingGateway.Program("running"));

        Button(actions, "Cancel program…").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("Your reason is emailed to the 2 matched participants", Dialogs.Find("[data-testid=cancel-recipients]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Maria Lopez (maria@lincoln.example.org)", Dialogs.Find("[data-testid=cancel-dialog]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Sam Okafor (sam@roosevelt.example.org)", Dialogs.Find("[data-testid=cancel-dialog]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_no_reason_when_the_program_is_cancelled_then_a_reason_is_asked_for_and_nothing_is_sent()
    {
        gateway.On(EngagementsPath, _ => RecordingGateway.Json(new Page<EngagementItem>([], null, 0)));
        var actions = RenderActions(RecordingGateway.Program("open", enrolmentOpen: true));
        Button(actions, "Cancel program…").Click();
        Dialogs.WaitForAssertion(() => Assert.Contains("nobody is emailed", Dialogs.Find("[data-testid=cancel-recipients]").TextContent, StringComparison.Ordinal));

        Button(Dialogs, "Cancel the program").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("Say why, in a sentence: the participants read it.", Dialogs.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Requests, r => r.Line.EndsWith("/cancel", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_reason_when_the_program_is_cancelled_then_the_reason_is_sent_in_the_coordinators_words_and_the_dialog_closes()
    {
        gateway.On(EngagementsPath, _ => RecordingGateway.Json(new Page<EngagementItem>([], null, 0)))
            .On($"POST /api/v1/programs/{RecordingGateway.ProgramId}/cancel", _ => RecordingGateway.Json(RecordingGateway.Program("cancelled", cancellationReason: "Too few mentors this term.")));
        var actions = RenderActions(RecordingGateway.Program("open", enrolmentOpen: true));
        Button(actions, "Cancel program…").Click();
        Dialogs.WaitForAssertion(() => Assert.NotEmpty(Dialogs.FindAll("[data-testid=cancel-recipients]")));

        Field(Dialogs, "Why it is cancelled").Input("  Too few mentors this term. ");
        Button(Dialogs, "Cancel the program").Click();

        actions.WaitForAssertion(() => Assert.Equal("cancelled", changed?.Status));
        Assert.Equal("Too few mentors this term.", gateway.Requests.Single(r => r.Line.EndsWith("/cancel", StringComparison.Ordinal)).Body!.Value.GetProperty("reason").GetString());
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid=cancel-dialog]")));
    }

    [Fact]
    public void Given_the_API_refuses_to_cancel_when_cancelled_then_the_dialog_says_why_in_its_words()
    {
        gateway.On(EngagementsPath, _ => RecordingGateway.Json(new Page<EngagementItem>([], null, 0)))
            .On($"POST /api/v1/programs/{RecordingGateway.ProgramId}/cancel", _ => RecordingGateway.Problem(HttpStatusCode.Conflict, "The program is completed; a completed program cannot be cancelled."));
        var actions = RenderActions(RecordingGateway.Program("running"));
        Button(actions, "Cancel program…").Click();
        Dialogs.WaitForAssertion(() => Assert.NotEmpty(Dialogs.FindAll("[data-testid=cancel-recipients]")));

        Field(Dialogs, "Why it is cancelled").Input("Too late.");
        Button(Dialogs, "Cancel the program").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("a completed program cannot be cancelled", Dialogs.Find("[data-testid=cancel-problem]").TextContent, StringComparison.Ordinal));
        Assert.Null(changed);
    }

    static EngagementItem Engagement(string mentor, string mentorEmail, string mentee, string menteeEmail) => new(Guid.NewGuid(), Guid.NewGuid(), "active",
        new EngagementPersonItem(Guid.NewGuid(), mentor, mentorEmail, "Lincoln High"), [new EngagementPersonItem(Guid.NewGuid(), mentee, menteeEmail, "Roosevelt Middle")], [], []);
}

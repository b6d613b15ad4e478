using System.Net;
using Bunit;
using Torace.Admin.Programs;

namespace Torace.UnitTests.Admin;

/// <summary>Editing a draft: the form reads the program back, the save carries its ETag, and a stale save is told and reloaded.</summary>
public sealed class EditProgramPageTests : AdminComponentTest
{
    static readonly string ProgramPath = $"/api/v1/programs/{RecordingGateway.ProgramId}";

    IRenderedComponent<EditProgramPage> RenderPage() => RenderWithProviders<EditProgramPage>(p => p.Add(e => e.ProgramId, RecordingGateway.ProgramId));

    [Fact]
    public void Given_a_draft_when_its_name_is_changed_and_saved_then_the_definition_is_put_with_If_Match_of_the_version_read()
    {
        gateway.On($"GET {ProgramPath}", _ => RecordingGateway.Json(RecordingGateway.Program(), etag: "\"4\""))
            .On($"PUT {ProgramPath}", _ => RecordingGateway.Json(RecordingGateway.Program(), etag: "\"5\""));
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal("Lesson planning pairs", Field(page, "Program name").GetAttribute("value")));

        Field(page, "Program name").Input("Lesson planning pairs, spring");
        Button(page, "Save the draft").Click();

        page.WaitForAssertion(() => Assert.Contains(gateway.Requests, r => r.Line == $"PUT {ProgramPath}"));
        var put = gateway.Requests.Single(r => r.Line == $"PUT {ProgramPath}");
        Assert.Equal("\"4\"", put.IfMatch);
        Assert.Equal("Lesson planning pairs, spring", put.Body!.Value.GetProperty("name").GetString());
        Assert.Equal(2, put.Body.Value.GetProperty("sessions").GetArrayLength());
    }

    [Fact]
    public void Given_someone_else_changed_the_draft_when_saved_then_the_coordinator_is_told_and_the_form_shows_their_version()
    {
        var reads = 0;
        gateway.On($"GET {ProgramPath}", _ => RecordingGateway.Json(++reads == 1 ? RecordingGateway.Program() : RecordingGateway.Program() with { Name = "Renamed by a colleague" }, etag: $"\"{3 + reads}\""))
            .On($"PUT {ProgramPath}", _ => RecordingGateway.Problem(HttpStatusCode.PreconditionFailed, "The program changed since you read it."));
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("label")));

        Button(page, "Save the draft").Click();

        page.WaitForAssertion(() => Assert.Contains("Someone else changed this program while you were editing it", page.Find("[data-testid=edit-notice]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Renamed by a colleague", Field(page, "Program name").GetAttribute("value"));
        Button(page, "Save the draft").Click();
        page.WaitForAssertion(() => Assert.Equal("\"5\"", gateway.Requests.Where(r => r.Line == $"PUT {ProgramPath}").Last().IfMatch));
    }

    [Fact]
    public void Given_a_program_that_is_no_longer_a_draft_when_opened_for_editing_then_it_says_only_a_draft_can_be_edited()
    {
        gateway.On($"GET {ProgramPath}", _ => RecordingGateway.Json(RecordingGateway.Program("open", enrolmentOpen: true), etag: "\"2\""));

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("only a draft can be edited", page.Find("[data-testid=not-a-draft]").TextContent, StringComparison.Ordinal));
        Assert.False(HasButton(page, "Save the draft"));
    }
}

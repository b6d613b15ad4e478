using System.Net;
using Bunit;
using Torace.Admin.Gateway;
using Torace.Admin.Programs;

namespace Torace.UnitTests.Admin;

/// <summary>Changing a participant's profile from the Participants tab: If-Match from the enrolment's ETag, the API's field errors at the fields.</summary>
public sealed class EditParticipantDialogTests : AdminComponentTest
{
    static readonly EnrolmentItem Maria = new(Guid.Parse("e0000000-0000-4000-8000-000000000001"), "mentor", "maria@lincoln.example.org", "Maria Lopez",
        "maria@lincoln.example.org", "Lincoln High", ["lesson planning"], "virtual", 2, "teacher", "active", DateTimeOffset.UtcNow);

    static readonly string EnrolmentPath = $"/api/v1/programs/{RecordingGateway.ProgramId}/enrolments/{Maria.Id}";

    int changes;

    IRenderedComponent<ParticipantsTab> RenderTab()
    {
        var tab = RenderWithProviders<ParticipantsTab>(p => p.Add(t => t.Program, RecordingGateway.Program("open", enrolmentOpen: true))
            .Add(t => t.Enrolments, [Maria]).Add(t => t.Changed, () => changes++));
        tab.Find("button[aria-label=\"Edit Maria Lopez's profile\"]").Click();
        Dialogs.WaitForAssertion(() => Assert.Equal("Lincoln High", Field(Dialogs, "School or site").GetAttribute("value")));
        return tab;
    }

    [Fact]
    public void Given_an_enrolment_when_its_site_is_changed_and_saved_then_the_profile_is_patched_with_If_Match_of_its_ETag_and_the_list_reloads()
    {
        gateway.On($"GET {EnrolmentPath}", _ => RecordingGateway.Json(Maria, etag: "\"3\""))
            .On($"PATCH {EnrolmentPath}", _ => RecordingGateway.Json(Maria with { Site = "Lincoln Middle" }, etag: "\"4\""));
        RenderTab();

        Field(Dialogs, "School or site").Change("Lincoln Middle");
        Button(Dialogs, "Save the profile").Click();

        Dialogs.WaitForAssertion(() => Assert.Equal(1, changes));
        var patch = gateway.Requests.Single(r => r.Line == $"PATCH {EnrolmentPath}");
        Assert.Equal("\"3\"", patch.IfMatch);
        Assert.Equal("Lincoln Middle", patch.Body!.Value.GetProperty("site").GetString());
        Assert.Equal(2, patch.Body.Value.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public void Given_the_API_refuses_a_field_when_saved_then_its_words_are_shown_at_that_field_and_the_dialog_stays_open()
    {
        gateway.On($"GET {EnrolmentPath}", _ => RecordingGateway.Json(Maria, etag: "\"3\""))
            .On($"PATCH {EnrolmentPath}", _ => RecordingGateway.Problem(HttpStatusCode.BadRequest, "One or more validation errors occurred.",
                new() { ["email"] = ["'email' must be an email address."] }));
        RenderTab();

        Field(Dialogs, "Email").Change("maria at lincoln");
        Button(Dialogs, "Save the profile").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("'email' must be an email address.",
            Field(Dialogs, "Email").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Equal(0, changes);
    }

    [Fact]
    public void Given_someone_else_changed_the_profile_when_saved_then_the_coordinator_is_told_and_sees_their_version()
    {
        var reads = 0;
        gateway.On($"GET {EnrolmentPath}", _ => RecordingGateway.Json(++reads == 1 ? Maria : Maria with { Site = "Roosevelt Middle" }, etag: $"\"{2 + reads}\""))
            .On($"PATCH {EnrolmentPath}", _ => RecordingGateway.Problem(HttpStatusCode.PreconditionFailed, "The enrolment changed since you read it."));
        RenderTab();

        Button(Dialogs, "Save the profile").Click();

        Dialogs.WaitForAssertion(() => Assert.Contains("Someone else changed Maria Lopez's profile", Dialogs.Find("[data-testid=participant-notice]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Roosevelt Middle", Field(Dialogs, "School or site").GetAttribute("value"));
        Assert.Equal(0, changes);
    }
}

using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Torace.Admin.Gateway;
using Torace.Admin.Programs;

namespace Torace.UnitTests.Admin;

/// <summary>Importing a CSV from the participants tab: every row's result is previewed from the dry run, and nothing is written until the coordinator confirms.</summary>
public sealed class ImportParticipantsTests : AdminComponentTest
{
    static readonly string ImportPath = $"POST /api/v1/programs/{RecordingGateway.ProgramId}/enrolments/import";
    const string Csv = "role,externalId,name,email,site\nmentor,T-1,Maria Lopez,maria@lincoln.example.org,Lincoln\nmentee,T-2,Sam Okafor,not-an-email,Roosevelt\n";
    static readonly ImportPreview DryRun = new(true, 2, new ImportCountsItem(1, 0, 0, 1), ["shoe size"],
    [
        new ImportRowItem(1, "mentor", "T-1", Guid.NewGuid(), "created", null),
        new ImportRowItem(2, "mentee", "T-2", null, "rejected", new Dictionary<string, string[]> { ["email"] = ["'email' must be an email address."] }),
    ]);

    bool imported;

    IRenderedComponent<ImportParticipants> Choose()
    {
        // The first call is the dry run (the query is not part of a recorded line), the second the import.
        gateway.On(ImportPath, _ => RecordingGateway.Json(gateway.Requests.Count(r => r.Line == ImportPath) == 1 ? DryRun : DryRun with { DryRun = false }));
        var import = RenderWithProviders<ImportParticipants>(p => p.Add(i => i.Program, RecordingGateway.Program("open", enrolmentOpen: true))
            .Add(i => i.Imported, () => imported = true));
        import.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv, "people.csv"));
        return import;
    }

    [Fact]
    public void Given_a_file_then_each_row_shows_what_would_happen_and_nothing_is_written()
    {
        var import = Choose();

        import.WaitForElement("[data-testid=import-preview]");
        Assert.Contains("1 will be enrolled, 1 will be rejected", import.Find("[data-testid=import-summary]").TextContent, StringComparison.Ordinal);
        var rows = import.FindAll("[data-testid=import-row]").Select(r => r.TextContent).ToList();
        Assert.Contains("enrolled", rows[0], StringComparison.Ordinal);
        Assert.Contains("'email' must be an email address.", rows[1], StringComparison.Ordinal);
        Assert.Contains("Columns not read: shoe size", import.Markup, StringComparison.Ordinal);
        var sent = Assert.Single(gateway.Requests);
        Assert.Equal((ImportPath, Csv), (sent.Line, sent.Text));
        Assert.False(imported);
    }

    [Fact]
    public void When_the_coordinator_confirms_then_the_same_file_is_imported_and_the_tab_is_told()
    {
        var import = Choose();
        import.WaitForElement("[data-testid=import-preview]");

        Button(import, "Import 1 person").Click();

        import.WaitForAssertion(() => Assert.Contains("Imported: 1 enrolled, 1 rejected", import.Find("[data-testid=import-done]").TextContent, StringComparison.Ordinal));
        Assert.Equal(2, gateway.Requests.Count(r => r.Line == ImportPath));
        Assert.True(imported);
        Assert.Empty(import.FindAll("[data-testid=import-preview]"));
    }

    [Fact]
    public void When_discarded_then_nothing_more_is_sent()
    {
        var import = Choose();
        import.WaitForElement("[data-testid=import-preview]");

        Button(import, "Discard").Click();

        Assert.Empty(import.FindAll("[data-testid=import-preview]"));
        Assert.Single(gateway.Requests);
        Assert.False(imported);
    }
}

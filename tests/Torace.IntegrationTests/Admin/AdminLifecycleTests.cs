using System.Text;
using Microsoft.Playwright;
using Torace.IntegrationTests.Fixture;
using static Microsoft.Playwright.Assertions;

namespace Torace.IntegrationTests.Admin;

/// <summary>
/// A coordinator corrects a participant's profile, closes the program's enrolment and then cancels it with a reason, in
/// Chromium; and opens the district's guides.
/// </summary>
public sealed class AdminLifecycleTests(ToraceSystem system)
{
    [Fact]
    public async Task A_coordinator_edits_a_profile_closes_enrolment_then_cancels_the_program_and_its_page_shows_cancelled_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var reason = $"Too few mentors signed up this term ({tag}); we will run it again in the spring.";
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram($"Spring SEL circles {tag}", DateTimeOffset.UtcNow.AddDays(10), ct);
        var mentor = $"ada.{tag}";
        await api.Enrol(programId, DistrictApi.Person("mentor", $"{mentor}@lincoln.example.org", "Lincoln High", capacity: 2), ct);
        await using var browser = await AdminBrowser.Start();
        var (page, _) = await browser.Walk(system.Admin, ct);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);

        await page.GotoAsync($"/programs/{programId}");
        await Expect(page.GetByTestId("program-status")).ToHaveTextAsync("Open for enrolment");
        await Expect(page.GetByTestId("program-format")).ToHaveTextAsync("Two sessions");
        // The profile is read with its ETag and sent back with If-Match, through the gateway.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {mentor}'s profile" }).ClickAsync();
        var profile = page.GetByTestId("participant-dialog");
        await Expect(profile.GetByLabel("School or site").Or(profile.GetByTestId("participant-problem"))).ToBeVisibleAsync();
        Assert.Equal("", await profile.GetByTestId("participant-problem").CountAsync() == 0 ? "" : await profile.GetByTestId("participant-problem").InnerTextAsync());
        await Expect(profile.GetByLabel("School or site")).ToHaveValueAsync("Lincoln High");
        await browser.Check(page, "participant-profile");
        await profile.GetByLabel("School or site").FillAsync("Lincoln Middle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the profile" }).ClickAsync();
        await Expect(page.GetByTestId("enrolments").GetByRole(AriaRole.Row).Filter(new() { HasText = mentor })).ToContainTextAsync("Lincoln Middle");
        // On the mentor's word, the coordinator turns their reminders off, and on again.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Stop reminders for {mentor}" }).ClickAsync();
        await Expect(page.GetByTestId("enrolments").GetByRole(AriaRole.Row).Filter(new() { HasText = mentor })).ToContainTextAsync("reminders off");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Resume reminders for {mentor}" }).ClickAsync();
        await Expect(page.GetByTestId("enrolments").GetByRole(AriaRole.Row).Filter(new() { HasText = mentor })).Not.ToContainTextAsync("reminders off");
        // A CSV of two people and a row with a bad email: each row's result is shown before anything is written, then imported.
        var csv = $"role,externalId,name,email,site\nmentee,csv-1-{tag},Ina {tag},ina.{tag}@hoover.example.org,Hoover\n"
            + $"mentee,csv-2-{tag},Joe {tag},joe.{tag}@hoover.example.org,Hoover\nmentee,csv-3-{tag},Kim {tag},not-an-email,Hoover\n";
        await page.Locator("#participants-csv").SetInputFilesAsync(new FilePayload { Name = "people.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Expect(page.GetByTestId("import-summary")).ToHaveTextAsync("2 will be enrolled, 1 will be rejected");
        await Expect(page.GetByTestId("enrolments")).Not.ToContainTextAsync($"Ina {tag}");
        await browser.Check(page, "import-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import 2 people" }).ClickAsync();
        await Expect(page.GetByTestId("import-done")).ToContainTextAsync("2 enrolled, 1 rejected");
        await Expect(page.GetByTestId("enrolments")).ToContainTextAsync($"Ina {tag}");
        // What the coordinator read through the admin is in the personal data audit, as the coordinator's.
        var reads = await api.AllItems($"/api/v1/audit?person={Uri.EscapeDataString($"ina.{tag}@hoover.example.org")}&actor=coordinator", ct);
        Assert.Contains(reads, e => e.GetProperty("endpoint").GetString() == "/api/v1/programs/{id}/enrolments" && e.GetProperty("method").GetString() == "GET");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close enrolment" }).ClickAsync();
        await Expect(page.GetByTestId("enrolment-closed")).ToHaveTextAsync("Enrolment closed");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Close enrolment" })).ToHaveCountAsync(0);
        await Expect(page.GetByText("People can enrol while the program is open for enrolment.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel program…" }).ClickAsync();
        var dialog = page.GetByTestId("cancel-dialog");
        await Expect(dialog.GetByTestId("cancel-recipients")).ToHaveTextAsync("Nobody has been matched yet, so nobody is emailed.");
        await browser.Check(page, "cancel-program");
        await page.GetByLabel("Why it is cancelled").FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel the program" }).ClickAsync();

        await Expect(page.GetByTestId("program-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByTestId("cancellation-reason")).ToContainTextAsync(reason);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel program…" })).ToHaveCountAsync(0);
        await browser.Check(page, "cancelled-program");
        await page.SetViewportSizeAsync(390, 844);
        await browser.Check(page, "cancelled-program-phone");

        await page.GotoAsync("/settings/guides");
        await Expect(page.GetByLabel("Two-session guide")).ToBeVisibleAsync();
        await browser.Check(page, "guides-phone");
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }
}

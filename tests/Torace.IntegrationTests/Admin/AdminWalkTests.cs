using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Torace.IntegrationTests.Fixture;
using static Microsoft.Playwright.Assertions;

namespace Torace.IntegrationTests.Admin;

/// <summary>
/// A coordinator runs a two-session program end to end in the admin front end, in Chromium, with nothing but clicks
/// and typing: from a template to published matches, the match emails in the inbox and a session marked done.
/// </summary>
public sealed class AdminWalkTests(ToraceSystem system)
{
    [Fact]
    public async Task A_coordinator_creates_a_program_from_a_template_enrols_matches_publishes_and_marks_a_session_done()
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var name = $"Lesson planning pairs {tag}";
        var mentor = (Name: $"Maria Lopez {tag}", Email: $"maria.{tag}@lincoln.example.org");
        var mentee = (Name: $"Sam Okafor {tag}", Email: $"sam.{tag}@roosevelt.example.org");
        await using var browser = await AdminBrowser.Start();
        var (page, clicks) = await browser.Walk(system.Admin, ct);
        var clock = Stopwatch.StartNew();

        var (email, password) = system.Coordinators["demo-a"];
        await page.GotoAsync("/account/login");
        await browser.Check(page, "sign-in");
        await AdminBrowser.SignIn(page, email, password);
        await Expect(page.GetByTestId("programs")).ToBeVisibleAsync();
        await browser.Check(page, "programs");
        await clicks.Click(page.GetByRole(AriaRole.Link, new() { Name = "New program" }));
        await clicks.Click(page.GetByRole(AriaRole.Button, new() { Name = "Two-session intervention" }));
        await page.GetByLabel("Program name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Topic", new() { Exact = true }).FillAsync("lesson planning");
        await page.GetByLabel("First session", new() { Exact = true }).FillAsync(DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd"));
        await page.GetByLabel("Your message").FillAsync("Bring one lesson plan you want to sharpen.");
        await page.GetByLabel("Link to the two-session guide").FillAsync("https://example.org/guides/two-session");
        // The match email as the API renders it, in the district's wording, with the form's message and guide.
        var preview = page.GetByTestId("email-preview").FrameLocator("iframe").Locator("body");
        await Expect(preview).ToContainTextAsync("Bring one lesson plan you want to sharpen.");
        await Expect(preview).ToContainTextAsync("https://example.org/guides/two-session");
        await Expect(page.GetByTestId("email-preview-subject")).ToContainTextAsync($"You have a mentor: {name}");
        await browser.Check(page, "new-program");
        await clicks.Click(page.GetByRole(AriaRole.Button, new() { Name = "Create and open for enrolment" }));

        await Expect(page.GetByTestId("program-name")).ToHaveTextAsync(name);
        await Expect(page.GetByTestId("program-status")).ToHaveTextAsync("Open for enrolment");
        await Enrol(page, clicks, "Mentor", mentor.Name, mentor.Email, "Lincoln High");
        await Enrol(page, clicks, "Mentee", mentee.Name, mentee.Email, "Roosevelt Middle");
        await Expect(page.GetByTestId("enrolled")).ToHaveTextAsync("1 mentor and 1 mentee enrolled");
        await browser.Check(page, "participants");

        await clicks.Click(page.GetByRole(AriaRole.Tab, new() { Name = "Matching" }));
        await clicks.Click(page.GetByRole(AriaRole.Button, new() { Name = "Find matches" }));
        var proposal = page.GetByTestId("proposals").GetByRole(AriaRole.Row).Filter(new() { HasText = mentor.Name });
        await Expect(proposal).ToContainTextAsync(mentee.Name);
        await browser.Check(page, "matching-review");
        await clicks.Click(page.GetByRole(AriaRole.Button, new() { Name = "Publish 1 match…" }));
        var confirmation = page.GetByTestId("publish-confirmation");
        await Expect(confirmation).ToContainTextAsync(mentor.Email);
        await Expect(confirmation).ToContainTextAsync(mentee.Email);
        await clicks.Click(page.GetByRole(AriaRole.Button, new() { Name = "Publish and send the emails" }));

        var engagement = page.GetByTestId("engagement");
        await Expect(engagement).ToContainTextAsync(mentee.Name, new() { Timeout = 60_000 });
        // The match emails are the ones that carry the coordinator's message (reminders follow on their own).
        var matchEmails = await Eventually.Until(
            async t => (await system.Emails(t)).Where(e => e.Subject.Contains(name, StringComparison.Ordinal)
                && e.Html?.Contains("Bring one lesson plan you want to sharpen.", StringComparison.Ordinal) == true).ToList(),
            sent => sent.SelectMany(e => e.To.Select(to => to.Address)).Distinct().Count() == 2, "the match emails to the mentor and the mentee");
        var toMatchEmails = clock.Elapsed;
        Assert.Equal(new[] { mentee.Email, mentor.Email }.Order(), matchEmails.SelectMany(e => e.To.Select(to => to.Address)).Order());
        Assert.All(matchEmails, e => Assert.Contains("https://example.org/guides/two-session", e.Html, StringComparison.Ordinal));

        await clicks.Click(page.GetByRole(AriaRole.Button, new() { Name = "Mark session 1 done" }));
        await Expect(engagement).ToContainTextAsync("Done");
        await browser.Check(page, "engagements");
        await clicks.Click(page.GetByRole(AriaRole.Tab, new() { Name = "Reports" }));
        var funnel = page.GetByTestId("report").GetByRole(AriaRole.Row).Filter(new() { HasText = "First session done" });
        await Expect(funnel).ToContainTextAsync("1 mentees");
        await browser.Check(page, "reports");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!, ct);
        Assert.Contains("How far engagements got,First session done,1,mentees", csv, StringComparison.Ordinal);
        Assert.Equal($"{name} - report.csv", download.SuggestedFilename);

        await clicks.Click(page.GetByRole(AriaRole.Tab, new() { Name = "History" }));
        await Expect(page.GetByTestId("history")).ToContainTextAsync("ession");
        await browser.Check(page, "history");

        // At a phone's width the pages still fit and pass.
        await page.SetViewportSizeAsync(390, 844);
        await browser.Check(page, "history-phone");
        await page.GotoAsync("/programs");
        await Expect(page.GetByTestId("programs")).ToContainTextAsync(name);
        await browser.Check(page, "programs-phone");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"From signing in to both match emails in the inbox: {toMatchEmails.TotalSeconds:0.0} s and {clicks.Count} clicks (typing not counted); whole walk {clock.Elapsed.TotalSeconds:0.0} s.");
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }

    [Fact]
    public async Task A_coordinator_cannot_open_another_districts_program_by_its_address()
    {
        var ct = TestContext.Current.CancellationToken;
        var theirs = await new DistrictApi(system.District("demo-b")).CreateProgram(DistrictApi.ProgramBody($"Not yours {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(3)), ct);
        await using var browser = await AdminBrowser.Start();
        var (page, _) = await browser.Walk(system.Admin, ct);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);
        await Expect(page).ToHaveURLAsync(new Regex("/$"));

        await page.GotoAsync($"/programs/{theirs}");

        await Expect(page.GetByTestId("not-found")).ToHaveTextAsync("There is no program with this address in your district.");
        await Expect(page.GetByText("Not yours")).ToHaveCountAsync(0);
    }

    static async Task Enrol(IPage page, AdminBrowser.Clicks clicks, string role, string name, string email, string site)
    {
        await clicks.Click(page.GetByLabel(role, new() { Exact = true }));
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("School or site").FillAsync(site);
        await page.GetByLabel("Topics").FillAsync("lesson planning");
        await clicks.Click(page.GetByRole(AriaRole.Button, new() { Name = "Enrol", Exact = true }));
        await Expect(page.GetByTestId("enrolments")).ToContainTextAsync(name);
    }
}

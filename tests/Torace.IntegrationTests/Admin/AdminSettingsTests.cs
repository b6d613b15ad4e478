using System.Net;
using Microsoft.Playwright;
using Torace.IntegrationTests.Fixture;
using static Microsoft.Playwright.Assertions;

namespace Torace.IntegrationTests.Admin;

/// <summary>A district admin manages the district's API keys and coordinators; a coordinator sets the daily digest, the district's look and its emails' wording.</summary>
public sealed class AdminSettingsTests(ToraceSystem system)
{
    [Fact]
    public async Task A_coordinator_sets_the_daily_digest_and_is_told_what_the_api_refuses()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var browser = await AdminBrowser.Start();
        var (page, _) = await browser.Walk(system.Admin, ct);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);

        await page.GetByRole(AriaRole.Link, new() { Name = "Digest" }).ClickAsync();
        await Expect(page.GetByTestId("digest")).ToBeVisibleAsync();
        await page.GetByLabel("Send it to").FillAsync("not an address");
        await page.GetByLabel("Time zone").FillAsync("Mars/Olympus");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the digest" }).ClickAsync();
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("IANA time zone");
        await Expect(page.GetByTestId("digest")).ToContainTextAsync("Every recipient must be an email address");
        await browser.Check(page, "digest");

        // Nobody listed keeps the digest off (no other test's programs are digested into the inbox); the hour and zone are kept.
        await page.GetByLabel("Send it to").FillAsync("");
        await page.GetByLabel("Time zone").FillAsync("America/Chicago");
        await page.GetByLabel("At (hour of the day, 0–23)").FillAsync("6");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the digest" }).ClickAsync();
        await Expect(page.GetByTestId("saved")).ToBeVisibleAsync();
        var saved = await new DistrictApi(system.District("demo-a")).Get("/api/v1/settings/digest", ct);
        Assert.Equal((0, 6, "America/Chicago"),
            (saved.GetProperty("recipients").GetArrayLength(), saved.GetProperty("hour").GetInt32(), saved.GetProperty("timeZone").GetString()));
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }

    [Fact]
    public async Task A_coordinator_sets_the_districts_look_and_a_colour_too_pale_for_white_text_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var browser = await AdminBrowser.Start();
        var (page, _) = await browser.Walk(system.Admin, ct);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);

        await page.GetByRole(AriaRole.Link, new() { Name = "Look" }).ClickAsync();
        await Expect(page.GetByTestId("branding")).ToBeVisibleAsync();
        await page.GetByLabel("Colour").FillAsync("#ffc107");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the look" }).ClickAsync();
        await Expect(page.GetByTestId("branding")).ToContainTextAsync("1.6:1");
        await browser.Check(page, "branding");

        // demo-a keeps Torace's colour and no name (other tests read its emails and pages); its replies now have an address.
        await page.GetByLabel("Colour").FillAsync("#1d4ed8");
        await page.GetByLabel("Replies go to").FillAsync("mentoring@demo-a.example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the look" }).ClickAsync();
        await Expect(page.GetByTestId("saved")).ToBeVisibleAsync();
        var saved = await new DistrictApi(system.District("demo-a")).Get("/api/v1/settings/branding", ct);
        Assert.Equal(("#1d4ed8", "mentoring@demo-a.example.org"), (saved.GetProperty("colour").GetString(), saved.GetProperty("replyTo").GetString()));
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }

    [Fact]
    public async Task A_coordinator_words_an_email_previews_it_with_sample_people_and_goes_back_to_toraces_wording()
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var browser = await AdminBrowser.Start();
        var (page, _) = await browser.Walk(system.Admin, ct);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);

        // "Session done": no other test reads that email, so demo-a's own wording of it for a moment changes nothing else.
        await page.GetByRole(AriaRole.Link, new() { Name = "Emails" }).ClickAsync();
        await Expect(page.GetByTestId("email-template")).ToBeVisibleAsync();
        await page.GetByLabel("Email", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Session done" }).ClickAsync();
        await Expect(page.GetByTestId("email-source")).ToContainTextAsync("Torace's wording is in use");
        await Expect(page.GetByTestId("email-variables")).ToContainTextAsync("{{ sessionNumber }}");

        await page.GetByLabel("Subject").FillAsync($"Thank you {tag}: session {{{{ sessionNumber }}}} of {{{{ programName }}}}");
        await page.GetByLabel("Message (HTML)").FillAsync("<p>Well done, {{ recipient.name }}.</p>{% if %}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(page.GetByTestId("problem")).ToContainTextAsync("'html' is not valid Liquid");

        await page.GetByLabel("Message (HTML)").FillAsync("<p>Well done, {{ recipient.name }}: session {{ sessionNumber }} is behind you.</p>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(page.GetByTestId("preview-subject")).ToContainTextAsync($"Thank you {tag}: session 1 of SEL in the first weeks");
        await Expect(page.FrameLocator("[data-testid=preview-html]").Locator("body")).ToContainTextAsync("Well done, Sam Carter: session 1 is behind you.");
        await Expect(page.GetByTestId("preview-text")).ToContainTextAsync("Well done, Sam Carter: session 1 is behind you.");
        await browser.Check(page, "emails");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save this email" }).ClickAsync();
        await Expect(page.GetByTestId("saved")).ToBeVisibleAsync();
        var api = new DistrictApi(system.District("demo-a"));
        var saved = await api.Get("/api/v1/settings/email-templates/session-completed", ct);
        Assert.Equal(("district", $"Thank you {tag}: session {{{{ sessionNumber }}}} of {{{{ programName }}}}"),
            (saved.GetProperty("source").GetString(), saved.GetProperty("template").GetProperty("subject").GetString()));

        await page.GetByRole(AriaRole.Button, new() { Name = "Go back to Torace's wording" }).ClickAsync();
        await Expect(page.GetByTestId("email-source")).ToContainTextAsync("Torace's wording is in use");
        Assert.Equal("torace", (await api.Get("/api/v1/settings/email-templates/session-completed", ct)).GetProperty("source").GetString());
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }

    [Fact]
    public async Task A_district_admin_creates_a_key_that_is_shown_once_and_works_then_revokes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var purpose = $"HR sync {Guid.NewGuid():N}"[..16];
        await using var browser = await AdminBrowser.Start();
        var (page, _) = await browser.Walk(system.Admin, ct);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);

        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.GetByLabel("What it is for").FillAsync(purpose);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var shown = (await page.GetByTestId("issued-key").Locator("code").TextContentAsync())!.Trim();
        await Expect(page.GetByTestId("api-keys").GetByRole(AriaRole.Row).Filter(new() { HasText = purpose })).ToContainTextAsync("active");
        await browser.Check(page, "api-keys");

        using (var withKey = system.WithKey(shown))
        using (var answer = await withKey.GetAsync("/api/v1/programs", ct))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        await page.ReloadAsync();
        await Expect(page.GetByTestId("api-keys")).ToContainTextAsync(purpose);
        Assert.DoesNotContain(shown, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke the key for {purpose}" }).ClickAsync();
        await Expect(page.GetByTestId("api-keys").GetByRole(AriaRole.Row).Filter(new() { HasText = purpose })).ToContainTextAsync("revoked");
        using var revoked = system.WithKey(shown);
        using var refused = await revoked.GetAsync("/api/v1/programs", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }

    [Fact]
    public async Task A_district_admin_adds_a_coordinator_who_signs_in_to_the_same_district_without_the_admin_pages()
    {
        var ct = TestContext.Current.CancellationToken;
        var newcomer = $"lee.{Guid.NewGuid():N}"[..16] + "@demo-a.example.org";
        await using var browser = await AdminBrowser.Start();
        var (page, _) = await browser.Walk(system.Admin, ct);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);

        await page.GetByRole(AriaRole.Link, new() { Name = "Coordinators" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Lee Chen");
        await page.GetByLabel("Work email").FillAsync(newcomer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        var firstPassword = (await page.GetByTestId("issued-password").Locator("code").TextContentAsync())!.Trim();
        await Expect(page.GetByTestId("coordinators")).ToContainTextAsync(newcomer);
        await Expect(page.GetByTestId("coordinators")).Not.ToContainTextAsync("demo-b.example.org");
        await browser.Check(page, "coordinators");

        var (other, _) = await browser.Walk(system.Admin, ct);
        await AdminBrowser.SignIn(other, newcomer, firstPassword);
        await Expect(other.GetByTestId("signed-in")).ToContainTextAsync("demo-a");
        await Expect(other.GetByRole(AriaRole.Link, new() { Name = "API keys" })).ToHaveCountAsync(0);
        await other.GotoAsync("/settings/api-keys");
        await Expect(other.GetByTestId("forbidden")).ToBeVisibleAsync();
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }
}

using Microsoft.Playwright;
using Torace.IntegrationTests.Fixture;
using static Microsoft.Playwright.Assertions;

namespace Torace.IntegrationTests.Admin;

/// <summary>Reviewing proposals in the admin: the unmatched with their reason, and a pair by hand refused with the rule in words.</summary>
public sealed class AdminReviewTests(ToraceSystem system)
{
    [Fact]
    public async Task A_pair_made_by_hand_that_breaks_a_mentors_capacity_is_refused_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateOpenProgram($"Review by hand {tag}", DateTimeOffset.UtcNow.AddDays(10), ct);
        await api.Enrol(programId, DistrictApi.Person("mentor", $"ada.{tag}@lincoln.example.org", "Lincoln High", capacity: 1), ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", $"ben.{tag}@roosevelt.example.org", "Roosevelt Middle"), ct);
        await api.Enrol(programId, DistrictApi.Person("mentee", $"cy.{tag}@roosevelt.example.org", "Roosevelt Middle"), ct);
        await using var browser = await AdminBrowser.Start();
        var (page, _) = await browser.Walk(system.Admin, ct);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);

        await page.GotoAsync($"/programs/{programId}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Matching" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Find matches" }).ClickAsync();
        await Expect(page.GetByTestId("run-summary")).ToContainTextAsync("1 proposed, 1 not matched");
        var unmatched = page.GetByTestId("unmatched");
        await Expect(unmatched).ToContainTextAsync("Every mentor who fits is already full.");
        var waiting = (await unmatched.GetByRole(AriaRole.Cell).First.TextContentAsync())!.Trim();

        await page.GetByText("Change the proposals by hand").ClickAsync();
        await page.GetByLabel("Mentor", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = $"ada.{tag}" }).ClickAsync();
        await page.GetByLabel("Mentee not yet matched").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = waiting }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Match them" }).ClickAsync();

        await Expect(page.GetByTestId("matching-problem")).ToContainTextAsync("would exceed their capacity");
        await Expect(page.GetByTestId("run-summary")).ToContainTextAsync("1 proposed, 1 not matched");
        await browser.Check(page, "matching-by-hand");
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }
}

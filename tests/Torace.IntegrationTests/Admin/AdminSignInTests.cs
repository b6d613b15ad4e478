using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Torace.IntegrationTests.Fixture;
using static Microsoft.Playwright.Assertions;

namespace Torace.IntegrationTests.Admin;

/// <summary>Coordinators sign in to the admin front end and see their own district's programs, through the gateway, as themselves.</summary>
public sealed partial class AdminSignInTests(ToraceSystem system)
{
    [Fact]
    public async Task A_coordinator_signs_in_and_sees_the_programs_of_their_district_and_no_other()
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ours = await new DistrictApi(system.District("demo-a")).CreateOpenProgram($"Lesson planning circle {tag}", DateTimeOffset.UtcNow.AddDays(14), ct);
        await new DistrictApi(system.District("demo-b")).CreateProgram(DistrictApi.ProgramBody($"Neighbour's program {tag}", DateTimeOffset.UtcNow.AddDays(14)), ct);
        await using var browser = await AdminBrowser.Start();
        var page = await browser.Page(system.Admin);

        // A page that needs a coordinator sends the browser to sign in, and back afterwards.
        await page.GotoAsync("/programs");
        await Expect(page).ToHaveURLAsync(SignInPage());
        var (email, password) = system.Coordinators["demo-a"];
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/programs$"));
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync("demo-a");
        var programs = page.GetByTestId("programs");
        await Expect(programs.GetByRole(AriaRole.Row, new() { Name = $"Lesson planning circle {tag}" })).ToContainTextAsync("Open for enrolment");
        await Expect(programs).Not.ToContainTextAsync($"Neighbour's program {tag}");

        // Signing out ends the session: the programs page asks for a sign-in again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(SignInPage());
        await page.GotoAsync("/programs");
        await Expect(page).ToHaveURLAsync(SignInPage());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_five_lock_the_account_even_against_the_right_one()
    {
        await using var browser = await AdminBrowser.Start();
        var page = await browser.Page(system.Admin);
        // demo-b's login is the one this test locks; no other test signs in as it.
        var (email, password) = system.Coordinators["demo-b"];

        await AdminBrowser.SignIn(page, email, "not the password");
        await Expect(page.GetByTestId("sign-in-problem")).ToHaveTextAsync("That email and password do not match an account.");
        await AdminBrowser.SignIn(page, "nobody@demo-b.example.org", password);
        await Expect(page.GetByTestId("sign-in-problem")).ToHaveTextAsync("That email and password do not match an account.");

        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await AdminBrowser.SignIn(page, email, $"wrong {attempt}");
        }
        await Expect(page.GetByTestId("sign-in-problem")).ToContainTextAsync("locked");
        await AdminBrowser.SignIn(page, email, password);
        await Expect(page.GetByTestId("sign-in-problem")).ToContainTextAsync("locked");
        await Expect(page).ToHaveURLAsync(SignInPage());
    }

    [Fact]
    public async Task Signing_out_needs_the_pages_antiforgery_token()
    {
        await using var browser = await AdminBrowser.Start();
        var page = await browser.Page(system.Admin);
        var (email, password) = system.Coordinators["demo-a"];
        await AdminBrowser.SignIn(page, email, password);
        await Expect(page.GetByTestId("signed-in")).ToBeVisibleAsync();

        // Another site's form posts with the coordinator's cookie but without the page's token.
        var forged = await page.APIRequest.PostAsync("/account/logout", new() { Form = page.APIRequest.CreateFormData() });
        Assert.Equal(400, forged.Status);
        await page.GotoAsync("/programs");
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync("demo-a");
    }

    [GeneratedRegex("/account/login")]
    private static partial Regex SignInPage();
}

using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Npgsql;
using Torace.IntegrationTests.Fixture;
using static Microsoft.Playwright.Assertions;

namespace Torace.IntegrationTests.Admin;

/// <summary>
/// A district admin connects the district's identity provider (OpenID Connect, a provider this test starts), and the
/// district's coordinators sign in with their district account: into their own Torace account, never another district's.
/// Runs alone: requiring single sign-on for demo-a refuses its coordinators' passwords while it is on.
/// </summary>
[Collection(nameof(AdminSingleSignOnTests))]
public sealed partial class AdminSingleSignOnTests(ToraceSystem system) : IAsyncLifetime
{
    const string District = "demo-a";

    [Fact]
    public async Task A_district_admin_connects_the_districts_provider_and_coordinators_sign_in_with_it_into_their_own_district_only()
    {
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var accountName = $"Test district account {tag}";
        await using var provider = await TestIdentityProvider.Start(ct);
        await using var browser = await AdminBrowser.Start();
        var (email, password) = system.Coordinators[District];

        // The district admin (demo-a's seeded login) registers Torace with the provider and tells Torace about it.
        var (settings, _) = await browser.Walk(system.Admin, ct);
        await AdminBrowser.SignIn(settings, email, password);
        await Expect(settings.GetByTestId("signed-in")).ToBeVisibleAsync();
        await settings.GotoAsync("/settings/sign-in");
        await Expect(settings.GetByTestId("redirect-uri")).ToHaveTextAsync(new Uri(system.Admin, $"signin-oidc/{District}").ToString());
        await settings.GetByLabel("What the button calls it").FillAsync(accountName);
        await settings.GetByLabel("Issuer URL").FillAsync(provider.Issuer + "/not-the-issuer");
        await settings.GetByLabel("Client ID").FillAsync(provider.ClientId);
        await settings.GetByLabel("Client secret").FillAsync(provider.ClientSecret);
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save the sign-in" }).ClickAsync();
        // A wrong issuer is found now, from the provider's discovery document, not at someone's first sign-in.
        await Expect(settings.GetByTestId("problem")).ToContainTextAsync("answered 404: check the issuer URL");
        await settings.GetByLabel("Issuer URL").FillAsync(provider.Issuer);
        // Requiring it before anyone has signed in with it is refused: a mistake could lock the coordinators out.
        await settings.GetByLabel("Coordinators sign in with it").CheckAsync();
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save the sign-in" }).ClickAsync();
        await Expect(settings.GetByTestId("problem")).ToContainTextAsync("Sign in with the district account yourself first");
        await settings.GetByLabel("Coordinators sign in with it").UncheckAsync();
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save the sign-in" }).ClickAsync();
        await Expect(settings.GetByTestId("saved")).ToContainTextAsync($"Sign in with {accountName}");
        await browser.Check(settings, "settings-sign-in");
        await settings.SetViewportSizeAsync(390, 844);
        await browser.Check(settings, "settings-sign-in-phone");
        await settings.SetViewportSizeAsync(1280, 900);

        // The district admin signs in with the district account: the provider's verified email names their Torace account.
        provider.NextUser = ($"subject-{tag}", email, true);
        var (page, problem) = await SignInWithProvider(browser, accountName, "/programs");
        Assert.Null(problem);
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync(District);
        Assert.Empty(provider.Refusals);
        Assert.True(provider.PkceRedemptions == 1, "Sign-ins with PKCE: " + string.Join("; ", provider.Authorizations));
        Assert.Equal(1, provider.UserInfoCalls);

        // From then on the provider's subject names the account, whatever email it gives.
        provider.NextUser = ($"subject-{tag}", $"renamed-{tag}@a.example.org", true);
        Assert.Null((await SignInWithProvider(browser, accountName, "/programs")).Problem);

        // Someone the district has no Torace account for, an unverified email, demo-b's coordinator through demo-a's
        // provider, and another subject claiming the linked account's email: each is told so and signed in nowhere.
        foreach (var (stranger, said) in new[]
        {
            (($"stranger-{tag}", $"stranger-{tag}@a.example.org", true), "Your district account has no Torace login yet."),
            (($"unverified-{tag}", email, false), "Your district account has no Torace login yet."),
            (($"neighbour-{tag}", system.Coordinators["demo-b"].Email, true), "Your district account has no Torace login yet."),
            (($"recycled-{tag}", email, true), "That Torace login belongs to another district account."),
        })
        {
            provider.NextUser = stranger;
            var (refused, told) = await SignInWithProvider(browser, accountName, "/programs");
            Assert.StartsWith(said, told);
            await refused.GotoAsync("/programs");
            await Expect(refused).ToHaveURLAsync(new Regex("/account/login"));
        }

        // A coordinator of the district (added under Coordinators, with a first password).
        await settings.GotoAsync("/settings/coordinators");
        var coordinator = $"sso-coordinator-{tag}@a.example.org";
        await settings.GetByLabel("Name").FillAsync($"Coordinator {tag}");
        await settings.GetByLabel("Work email").FillAsync(coordinator);
        await settings.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        var coordinatorPassword = await settings.GetByTestId("issued-password").Locator("code").TextContentAsync();

        // Having signed in with it, the district admin requires it: the coordinator's password is refused, with the way
        // to sign in, and the coordinator signs in with the district account; the admin's own password still works.
        provider.NextUser = ($"subject-{tag}", email, true);
        var (admin, _) = await SignInWithProvider(browser, accountName, "/settings/sign-in");
        await admin.GetByLabel("Coordinators sign in with it").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save the sign-in" }).ClickAsync();
        await Expect(admin.GetByTestId("saved")).ToBeVisibleAsync();
        var withPassword = await browser.Page(system.Admin);
        await AdminBrowser.SignIn(withPassword, coordinator, coordinatorPassword!);
        await Expect(withPassword.GetByTestId("sign-in-problem")).ToHaveTextAsync($"Your district signs in with {accountName}: use the button below.");
        await browser.Check(withPassword, "sign-in-with-district-account");
        await withPassword.SetViewportSizeAsync(390, 844);
        await browser.Check(withPassword, "sign-in-with-district-account-phone");
        await withPassword.SetViewportSizeAsync(1280, 900);
        // A wrong password still says only that it is wrong.
        await AdminBrowser.SignIn(withPassword, coordinator, "not the password");
        await Expect(withPassword.GetByTestId("sign-in-problem")).ToHaveTextAsync("That email and password do not match an account.");
        provider.NextUser = ($"coordinator-{tag}", coordinator, true);
        Assert.Null((await SignInWithProvider(browser, accountName, "/programs")).Problem);
        var districtAdmin = await browser.Page(system.Admin);
        await AdminBrowser.SignIn(districtAdmin, email, password);
        await Expect(districtAdmin.GetByTestId("signed-in")).ToContainTextAsync(District);

        // Removing the provider brings the coordinator's password back.
        await admin.GetByRole(AriaRole.Button, new() { Name = "Remove it" }).ClickAsync();
        await Expect(admin.GetByTestId("saved")).ToContainTextAsync("Removed");
        await AdminBrowser.SignIn(withPassword, coordinator, coordinatorPassword!);
        await Expect(withPassword.GetByTestId("signed-in")).ToContainTextAsync(District);
        Assert.Empty(provider.Refusals);
        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }

    [Fact]
    public async Task A_forged_or_replayed_answer_from_a_provider_signs_nobody_in_and_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var provider = await TestIdentityProvider.Start(ct);
        await Store(provider, ct);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = system.Admin };

        // No sign-in was started here (no correlation cookie), and the state is made up.
        using var forged = await http.GetAsync($"signin-oidc/{District}?code=made-up&state=made-up", ct);
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Equal("/account/login?problem=provider", forged.Headers.Location?.OriginalString);

        // A district with no provider: the sign-in page says so, not a 404 or a 500.
        using var unknown = await http.GetAsync("account/sso/no-such-district", ct);
        Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode);
        Assert.Contains("problem=unknown-provider", unknown.Headers.Location?.OriginalString);
    }

    /// <summary>Opens the sign-in page in a fresh browser context, clicks the district's button, and answers where it ended and what the page said.</summary>
    async Task<(IPage Page, string? Problem)> SignInWithProvider(AdminBrowser browser, string accountName, string path)
    {
        var page = await browser.Page(system.Admin);
        await page.GotoAsync(path);
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with {accountName}" }).ClickAsync();
        // Ends on the page asked for, or back on the sign-in page with the problem in its address (polled, not awaited
        // as a navigation: the last step is a refresh the page itself makes).
        await Expect(page).ToHaveURLAsync(new Regex($"({Regex.Escape(path)}$)|(problem=)"));
        return page.Url.Contains("problem=", StringComparison.Ordinal)
            ? (page, await page.GetByTestId("sign-in-problem").TextContentAsync())
            : (page, null);
    }

    NpgsqlDataSource AdminDatabase() => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(system.Postgres) { Database = "admin" }.ConnectionString);

    /// <summary>Stores demo-a's provider as the settings page would (for the tests that are not about the page).</summary>
    async Task Store(TestIdentityProvider provider, CancellationToken ct)
    {
        await using var database = AdminDatabase();
        await using var insert = database.CreateCommand("""
            insert into "DistrictSignOns" ("District", "DisplayName", "Authority", "ClientId", "ClientSecret", "RequireSingleSignOn", "UpdatedAt", "UpdatedBy")
            values ($1, 'Test district account', $2, $3, $4, false, now(), 'test')
            on conflict ("District") do update set "Authority" = excluded."Authority", "ClientSecret" = excluded."ClientSecret", "UpdatedAt" = now()
            """);
        insert.Parameters.AddWithValue(District);
        insert.Parameters.AddWithValue(provider.Issuer);
        insert.Parameters.AddWithValue(provider.ClientId);
        insert.Parameters.AddWithValue(provider.ClientSecret);
        await insert.ExecuteNonQueryAsync(ct);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Whatever a test left, demo-a signs in with its password again afterwards (the other tests rely on it).</summary>
    public async ValueTask DisposeAsync()
    {
        await using var database = AdminDatabase();
        await using var delete = database.CreateCommand("""
            delete from "AspNetUserLogins" where "LoginProvider" = 'sso-demo-a';
            delete from "DistrictSignOns" where "District" = 'demo-a';
            """);
        await delete.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(nameof(AdminSingleSignOnTests), DisableParallelization = true)]
public sealed class AdminSingleSignOnTestsRunAlone;

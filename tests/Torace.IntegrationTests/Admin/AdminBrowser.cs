using Microsoft.Playwright;
using Torace.AppHost.LocalInfrastructure;

namespace Torace.IntegrationTests.Admin;

/// <summary>A real Chromium (Debian's, installed when missing) driven by Playwright against the admin front end.</summary>
public sealed class AdminBrowser : IAsyncDisposable
{
    readonly IPlaywright playwright;
    readonly IBrowser browser;

    AdminBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static async Task<AdminBrowser> Start()
    {
        var playwright = await Playwright.CreateAsync();
        // Root may not sandbox Chromium; the pages are our own.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = LocalPackages.EnsureChromium(), Headless = true, Args = ["--no-sandbox"] });
        return new AdminBrowser(playwright, browser);
    }

    /// <summary>A fresh browser context (no cookies) on the admin site.</summary>
    public async Task<IPage> Page(Uri admin)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = admin.ToString() });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public static async Task SignIn(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}

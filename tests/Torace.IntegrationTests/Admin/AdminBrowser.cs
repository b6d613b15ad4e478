using System.Text.Json;
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
        // Pages wait on the broker now and then (a run, an engagement): give every expectation 30 s, as every action.
        Assertions.SetDefaultExpectTimeout(30_000);
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

    /// <summary>
    /// A fresh context on a site at a screen <paramref name="width"/> px wide. The participant pages forbid every script
    /// (their Content-Security-Policy); the context lets the test inject axe-core regardless.
    /// </summary>
    public async Task<IPage> Page(Uri site, int width)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = site.ToString(), ViewportSize = new() { Width = width, Height = 844 }, BypassCSP = true });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>What the pages logged as errors (console errors and uncaught exceptions) in every context of this browser.</summary>
    public List<string> ConsoleErrors { get; } = [];

    /// <summary>A page at a desktop width that records console errors and counts the coordinator's clicks.</summary>
    public async Task<(IPage Page, Clicks Clicks)> Walk(Uri admin, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var context = await browser.NewContextAsync(new() { BaseURL = admin.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => ConsoleErrors.Add(error);
        return (page, new Clicks());
    }

    /// <summary>The accessibility checker the pages must pass (axe-core from npm, injected into the page).</summary>
    public const string AxeCoreVersion = "4.14.1";

    /// <summary>
    /// Checks the page as it is now: axe-core's serious and critical violations (none allowed), and at a phone's width
    /// nothing wider than the screen. Then saves a screenshot of it for the README.
    /// </summary>
    public async Task Check(IPage page, string name, string site = "admin")
    {
        var axe = LocalPackages.EnsureNpmPackage(Path.Combine(LocalInfrastructureOptions.ToolsDirectoryOf(Fixture.Repository.Root), "axe-core"), "axe-core", AxeCoreVersion, "axe.min.js");
        await page.AddScriptTagAsync(new() { Path = axe });
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
            + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            + ".map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))");
        Assert.True(violations.GetArrayLength() == 0, $"axe-core on {name}:\n" + string.Join('\n', violations.EnumerateArray().Select(v => v.GetString())));
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{name} is {overflow} px wider than the {page.ViewportSize?.Width} px screen.");
        await Screenshot(page, name, site);
    }

    /// <summary>
    /// Saves a full-page screenshot: the README's, under docs/screenshots, when TORACE_SCREENSHOTS=update; otherwise
    /// in the temporary folder, so a test run leaves the checkout as it was.
    /// </summary>
    public async Task Screenshot(IPage page, string name, string site = "admin")
    {
        var folder = Environment.GetEnvironmentVariable("TORACE_SCREENSHOTS") == "update"
            ? Path.Combine(Fixture.Repository.Root, "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "torace-screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{site}-{name}.png"), FullPage = true });
    }

    /// <summary>Counts the clicks a walk takes (typing is not counted).</summary>
    public sealed class Clicks
    {
        public int Count { get; private set; }

        public async Task Click(ILocator target)
        {
            await target.ClickAsync();
            Count++;
        }
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

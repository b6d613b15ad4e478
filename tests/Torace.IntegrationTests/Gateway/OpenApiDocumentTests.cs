using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Torace.AppHost.LocalInfrastructure;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

/// <summary>The public API's merged OpenAPI document and its reference page, fetched anonymously through the gateway.</summary>
public sealed partial class OpenApiDocumentTests(ToraceSystem system)
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task The_merged_document_has_no_errors_under_Redocly_recommended_rules()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("torace-openapi-lint-").FullName;
        try
        {
            var document = Path.Combine(folder, "openapi.json");
            await File.WriteAllTextAsync(document, await MergedDocumentText(ct), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "redocly.yaml"), "extends:\n  - recommended\n", ct);
            var cli = LocalPackages.EnsureRedoclyCli(LocalInfrastructureOptions.ToolsDirectoryOf(Repository.Root));

            var output = await Node(folder, ct, cli, "lint", document, "--config", Path.Combine(folder, "redocly.yaml"), "--format=json");

            using var report = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => (
                    Severity: p.GetProperty("severity").GetString(),
                    Text: $"{p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at "
                        + string.Join(", ", p.GetProperty("location").EnumerateArray().Select(l => l.TryGetProperty("pointer", out var at) ? at.GetString() : "?"))))
                .ToList();
            foreach (var warning in problems.Where(p => p.Severity != "error"))
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"warning {warning.Text}");
            }
            var errors = problems.Where(p => p.Severity == "error").Select(p => p.Text).ToList();
            Assert.True(errors.Count == 0, $"Redocly found {errors.Count} errors:\n" + string.Join('\n', errors));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Every_operation_has_an_operationId_a_summary_tags_and_a_4xx_answer()
    {
        var document = JsonDocument.Parse(await MergedDocumentText(TestContext.Current.CancellationToken)).RootElement;
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)).Select(o => (Name: $"{o.Name.ToUpperInvariant()} {path.Name}", Operation: o.Value)))
            .ToList();

        Assert.Contains(operations, o => o.Name == "POST /api/v1/programs");
        Assert.Contains(operations, o => o.Name == "GET /api/v1/programs/{programId}/engagements");
        var lacking = operations.SelectMany(o => Lacks(o.Operation).Select(what => $"{o.Name} has no {what}")).ToList();
        Assert.True(lacking.Count == 0, string.Join('\n', lacking));
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        Assert.Equal("apiKey", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("type").GetString());
        Assert.Equal(system.Gateway.ToString().TrimEnd('/'), document.GetProperty("servers")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task The_reference_at_docs_renders_the_merged_document_with_its_own_script()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = new HttpClient { BaseAddress = system.Gateway };

        using var page = await anonymous.GetAsync("/docs", ct);
        var html = await page.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal); // Scalar resolves it against the site root
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            // Served by the gateway itself (there is no network to a CDN here).
            var url = new Uri(page.RequestMessage!.RequestUri!, script);
            Assert.Equal(system.Gateway.Authority, url.Authority);
            using var js = await anonymous.GetAsync(url, ct);
            Assert.Equal(HttpStatusCode.OK, js.StatusCode);
            Assert.True((await js.Content.ReadAsByteArrayAsync(ct)).Length > 1000, $"{url} is too small to be Scalar's script.");
        }
    }

    async Task<string> MergedDocumentText(CancellationToken ct)
    {
        using var anonymous = new HttpClient { BaseAddress = system.Gateway };
        using var response = await anonymous.GetAsync("/openapi/v1.json", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return body;
    }

    static IEnumerable<string> Lacks(JsonElement operation)
    {
        if (!operation.TryGetProperty("operationId", out var id) || string.IsNullOrWhiteSpace(id.GetString())) yield return "operationId";
        if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString())) yield return "summary";
        if (!operation.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0) yield return "tags";
        if (!operation.TryGetProperty("responses", out var responses) || !responses.EnumerateObject().Any(r => r.Name.StartsWith('4'))) yield return "4xx answer";
    }

    static async Task<string> Node(string folder, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Offline: no telemetry, no update check.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        TestContext.Current.TestOutputHelper?.WriteLine(await error);
        return await output;
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}

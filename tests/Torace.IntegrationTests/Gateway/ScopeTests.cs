using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Torace.IntegrationTests.Fixture;
using static Torace.IntegrationTests.Fixture.GatewayKeys;

namespace Torace.IntegrationTests.Gateway;

/// <summary>A key's scopes hold on every route: a key without write changes nothing anywhere, and may still read.</summary>
public sealed partial class ScopeTests(ToraceSystem system)
{
    static readonly string[] Changes = ["POST", "PUT", "PATCH", "DELETE"];
    static readonly string[] Services = ["programs", "matching", "scheduling", "notifications"];

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex PathParameter();

    /// <summary>Every change each service documents, with its path parameters filled with fresh ids (numbers for integers).</summary>
    async Task<IReadOnlyList<(string Method, string Path)>> DocumentedChanges(CancellationToken ct)
    {
        using var http = new HttpClient();
        var operations = new List<(string, string)>();
        foreach (var service in Services)
        {
            var document = await http.GetFromJsonAsync<JsonElement>(new Uri(system.ServiceUrl(service), "/openapi/v1.json"), ct);
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => Changes.Contains(o.Name.ToUpperInvariant())))
                {
                    var integers = operation.Value.TryGetProperty("parameters", out var parameters)
                        ? parameters.EnumerateArray()
                            .Where(p => p.GetProperty("in").GetString() == "path" && p.TryGetProperty("schema", out var schema) && schema.GetRawText().Contains("integer", StringComparison.Ordinal))
                            .Select(p => p.GetProperty("name").GetString())
                            .ToHashSet()
                        : [];
                    operations.Add((operation.Name.ToUpperInvariant(),
                        PathParameter().Replace(path.Name, m => integers.Contains(m.Groups[1].Value) ? "1" : Guid.NewGuid().ToString())));
                }
            }
        }
        return operations;
    }

    /// <summary>Every route of the gateway's table, with its parameters (the catch-all too) filled with fresh ids, under every changing method.</summary>
    static IReadOnlyList<(string Method, string Path)> RoutedChanges()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "src", "Torace.Gateway", "appsettings.json")));
        return [.. settings.RootElement.GetProperty("ReverseProxy").GetProperty("Routes").EnumerateObject()
            .Select(route => PathParameter().Replace(route.Value.GetProperty("Match").GetProperty("Path").GetString()!, _ => Guid.NewGuid().ToString()))
            .SelectMany(path => Changes.Select(method => (method, path)))];
    }

    [Fact]
    public async Task A_key_without_write_is_refused_on_every_change_before_anything_is_looked_up_and_may_still_read()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var programId = await new DistrictApi(admin).CreateOpenProgram($"Read-only {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(2), ct);
        var reader = await admin.CreateKey($"reporting {Guid.NewGuid():N}", ["read"], ct);
        using var client = system.WithKey(reader.Key);
        var documented = await DocumentedChanges(ct);
        Assert.True(documented.Count >= 10, $"Only {documented.Count} documented changes found.");

        foreach (var (method, path) in documented.Concat(RoutedChanges()).Append(("POST", "/api/v1/programs")))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {response.StatusCode}: {body}");
            Assert.Contains("'write'", body, StringComparison.Ordinal);
        }

        using var program = await client.GetAsync($"/api/v1/programs/{programId}", ct);
        using var history = await client.GetAsync($"/api/v1/programs/{programId}/history", ct);
        using var engagements = await client.GetAsync($"/api/v1/programs/{programId}/engagements", ct);
        Assert.Equal(HttpStatusCode.OK, program.StatusCode);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal(HttpStatusCode.OK, engagements.StatusCode);
    }

    [Fact]
    public async Task A_key_without_read_may_change_but_not_read()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = system.District("demo-a");
        var writer = await admin.CreateKey($"write-only {Guid.NewGuid():N}", ["write"], ct);
        using var client = system.WithKey(writer.Key);

        using var created = await client.PostAsJsonAsync("/api/v1/programs", DistrictApi.ProgramBody($"Write-only {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(2)), ct);
        var programId = await DistrictApi.IdOf(created, HttpStatusCode.Created, ct);
        using var read = await client.GetAsync($"/api/v1/programs/{programId}", ct);

        var problem = await Problem(read, HttpStatusCode.Forbidden, ct);
        Assert.Contains("'read'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Api.Client;

/// <summary>
/// The generated client (ToraceClient) is built from <c>torace-v1.json</c>, a copy of the gateway's merged
/// document kept beside this test. The copy must be the document the running gateway serves, so the client the
/// path test drives is the client an integrator would generate today.
/// </summary>
public sealed class PublicApiSnapshotTests(ToraceSystem system)
{
    public const string SnapshotFile = "torace-v1.json";

    [Fact]
    public async Task The_client_is_generated_from_the_document_the_gateway_serves()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = new HttpClient { BaseAddress = system.Gateway };
        var served = Normalised(await anonymous.GetStringAsync("/openapi/v1.json", ct));

        var folder = Path.Combine(Repository.Root, "tests", "Torace.IntegrationTests", "Api", "Client");
        var snapshot = Path.Combine(folder, SnapshotFile);
        var kept = File.Exists(snapshot) ? Normalised(await File.ReadAllTextAsync(snapshot, ct)) : "";
        var received = Path.Combine(folder, "torace-v1.received.json");
        if (kept != served)
        {
            await File.WriteAllTextAsync(received, served, ct);
        }
        else
        {
            File.Delete(received);
        }

        Assert.True(kept == served,
            $"The gateway's document differs from {SnapshotFile}. The document it serves is in {received}: review the difference, "
            + $"move it onto {SnapshotFile} and rebuild (the client is generated from it).");
    }

    /// <summary>The document without its servers (the gateway's address differs per run), indented the one way.</summary>
    static string Normalised(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        root.Remove("servers");
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Torace.Gateway.ApiKeys;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

/// <summary>The gateway describes its own endpoints, so the merged public document can carry them.</summary>
public sealed class GatewayOpenApiTests(ToraceSystem system) : IAsyncLifetime
{
    readonly IsolatedService<ApiKeyStore> gateway = new(system, "gateway", new Dictionary<string, string>
    {
        ["services:programs:http:0"] = system.ServiceUrl("programs").ToString(),
        ["services:matching:http:0"] = system.ServiceUrl("matching").ToString(),
        ["services:scheduling:http:0"] = system.ServiceUrl("scheduling").ToString(),
        ["services:notifications:http:0"] = system.ServiceUrl("notifications").ToString(),
    });

    public async ValueTask InitializeAsync() => await gateway.Prepare(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await gateway.DisposeAsync();

    [Fact]
    public async Task Key_management_and_participant_links_are_documented_with_operation_ids_problems_and_the_idempotency_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var document = await gateway.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync(ct);
        var paths = JsonDocument.Parse(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, ct)).RootElement.GetProperty("paths");

        JsonElement Operation(string path, string method) => paths.GetProperty(path).GetProperty(method);
        static string[] Responses(JsonElement operation) => [.. operation.GetProperty("responses").EnumerateObject().Select(r => r.Name)];
        static bool TakesIdempotencyKey(JsonElement operation) => operation.GetProperty("parameters").EnumerateArray()
            .Any(p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");

        var create = Operation("/api/v1/api-keys", "post");
        var rotate = Operation("/api/v1/api-keys/{keyId}/rotate", "post");
        var link = Operation("/api/v1/participant-links", "post");
        Assert.Equal("CreateApiKey", create.GetProperty("operationId").GetString());
        Assert.Equal("ListApiKeys", Operation("/api/v1/api-keys", "get").GetProperty("operationId").GetString());
        Assert.Equal("GetApiKey", Operation("/api/v1/api-keys/{keyId}", "get").GetProperty("operationId").GetString());
        Assert.Equal("RevokeApiKey", Operation("/api/v1/api-keys/{keyId}", "delete").GetProperty("operationId").GetString());
        Assert.Equal("RotateApiKey", rotate.GetProperty("operationId").GetString());
        Assert.Equal("CreateParticipantLink", link.GetProperty("operationId").GetString());
        Assert.All([create, rotate, link], o => Assert.True(TakesIdempotencyKey(o)));
        Assert.Superset(new HashSet<string> { "201", "400", "401", "403", "422" }, Responses(create).ToHashSet());
        Assert.Superset(new HashSet<string> { "201", "400", "404", "409", "422" }, Responses(rotate).ToHashSet());
        Assert.Superset(new HashSet<string> { "204", "400", "404" }, Responses(Operation("/api/v1/api-keys/{keyId}", "delete")).ToHashSet());
        Assert.False(paths.TryGetProperty("/openapi/v1.json", out _));
    }
}

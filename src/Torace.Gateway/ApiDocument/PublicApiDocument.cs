using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Torace.Gateway.ApiKeys;
using Torace.Gateway.Proxy;
using Torace.Platform.Api;

namespace Torace.Gateway.ApiDocument;

/// <summary>
/// The public API's one OpenAPI document: the gateway's own endpoints and, from each service's own document (fetched
/// from /openapi/v1.json through the same service discovery names the YARP clusters use), the operations a gateway
/// route sends to that service. Built at most every 30 seconds; if a service's document cannot be fetched the answer
/// is 503 rather than a document with holes in it, and the next request tries again.
/// </summary>
public sealed class PublicApiDocument(
    RouteTable routes,
    IHttpClientFactory clients,
    [FromKeyedServices(PublicApiDocument.OwnDocumentName)] IOpenApiDocumentProvider own,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<PublicApiDocument> log)
{
    public const string OwnDocumentName = "v1";
    public const string HttpClientName = "service-api-documents";
    public const string ServiceDocumentPath = "openapi/v1.json";
    static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What each tag groups, in the district's words; a tag not listed here is described by its service.</summary>
    static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Programs"] = "Micro-mentoring programs: create one, open its enrolment, read its status.",
        ["Enrolments"] = "Mentors and mentees joining or leaving a program.",
        ["History"] = "A program's timeline, every event from every service, oldest first, as structured facts.",
        ["People"] = "One person of the district across its programs: enrolments, matches, engagements and their PD plan.",
        ["Reports"] = "A program's or the district's figures: enrolment, matching, sessions, touchpoints, mentor load; JSON or CSV.",
        ["Matching runs"] = "Matching a program's mentees with its mentors: start a run, review its proposals, publish them.",
        ["Matches"] = "Published matches and declines.",
        ["Waitlist"] = "Mentees who wait for a place, with the reason.",
        ["Engagements"] = "The life of a published match: sessions, reflections and touchpoints.",
        ["Notifications"] = "What was sent to whom, with its delivery state.",
        ["API keys"] = "A district's API keys: create, list, rotate, revoke.",
    };

    readonly SemaphoreSlim building = new(1, 1);
    (JsonObject Document, DateTimeOffset BuiltAt)? cached;

    public async Task<IResult> Answer(HttpRequest request, CancellationToken ct)
    {
        JsonObject merged;
        try
        {
            merged = await Current(ct);
        }
        catch (ServiceDocumentUnavailableException unavailable)
        {
            log.LogWarning(unavailable, "The public API document could not be built: {Reason}", unavailable.Message);
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return Results.Problem(
                title: "The API document is not available right now.",
                detail: unavailable.Message + " Retry in a few seconds.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var document = (JsonObject)merged.DeepClone();
        document["servers"] = new JsonArray(new JsonObject
        {
            ["url"] = $"{request.Scheme}://{request.Host}{request.PathBase}",
            ["description"] = "This gateway.",
        });
        return Results.Text(document.ToJsonString(Indented), "application/json", Encoding.UTF8);
    }

    async Task<JsonObject> Current(CancellationToken ct)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }
        await building.WaitAsync(ct);
        try
        {
            if (Fresh() is { } builtMeanwhile)
            {
                return builtMeanwhile;
            }
            var document = await Build(ct);
            cached = (document, clock.GetUtcNow());
            return document;
        }
        finally
        {
            building.Release();
        }
    }

    JsonObject? Fresh() => cached is { } c && clock.GetUtcNow() - c.BuiltAt < Lifetime ? c.Document : null;

    async Task<JsonObject> Build(CancellationToken ct)
    {
        var gateway = await own.GetOpenApiDocumentAsync(ct);
        var sources = new List<ApiDocumentSource>
        {
            new("gateway", (JsonObject)JsonNode.Parse(await gateway.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0, ct))!, (_, _) => true),
        };
        var fetches = routes.Clusters.Select(async cluster => new ApiDocumentSource(
            cluster.Key, await Fetch(cluster.Key, cluster.Value, ct), (method, path) => routes.Exposes(cluster.Key, method, path)));
        sources.AddRange(await Task.WhenAll(fetches));
        return ApiDocumentMerge.Merge(sources, Root(sources.SelectMany(s => s.Document["tags"]?.AsArray().OfType<JsonObject>() ?? [])));
    }

    async Task<JsonObject> Fetch(string cluster, IReadOnlyList<Uri> destinations, CancellationToken ct)
    {
        var address = destinations.FirstOrDefault() ?? throw new ServiceDocumentUnavailableException($"The {cluster} cluster has no destination.");
        var url = new Uri(address, ServiceDocumentPath);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new ServiceDocumentUnavailableException($"The {cluster} service answered {(int)response.StatusCode} for its API document.");
            }
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token)) as JsonObject
                ?? throw new ServiceDocumentUnavailableException($"The {cluster} service's API document is not a JSON object.");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or Polly.ExecutionRejectedException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new ServiceDocumentUnavailableException($"The {cluster} service's API document could not be fetched ({e.GetType().Name}).", e);
        }
    }

    JsonObject Root(IEnumerable<JsonObject> sourceTags)
    {
        var settings = configuration.GetSection("Gateway:ApiDocument");
        var contact = new JsonObject { ["name"] = settings["ContactName"] ?? "Torace integration support" };
        if (settings["ContactEmail"] is { Length: > 0 } email)
        {
            contact["email"] = email;
        }
        if (settings["ContactUrl"] is { Length: > 0 } contactUrl)
        {
            contact["url"] = contactUrl;
        }
        var license = new JsonObject { ["name"] = settings["LicenseName"] ?? "Proprietary: for districts that use Torace" };
        if (settings["LicenseUrl"] is { Length: > 0 } licenseUrl)
        {
            license["url"] = licenseUrl;
        }
        var described = sourceTags
            .Where(t => (string?)t["name"] is not null)
            .GroupBy(t => (string)t["name"]!)
            .ToDictionary(g => g.Key, g => (string?)g.Select(t => t["description"]).FirstOrDefault(d => d is not null));
        var tags = TagDescriptions.Keys.Concat(described.Keys).Distinct()
            .Select(name => (JsonNode?)new JsonObject
            {
                ["name"] = name,
                ["description"] = TagDescriptions.GetValueOrDefault(name) ?? described.GetValueOrDefault(name) ?? $"Operations tagged {name}.",
            });

        return new JsonObject
        {
            ["openapi"] = "3.0.4",
            ["info"] = new JsonObject
            {
                ["title"] = "Torace public API",
                ["version"] = "v1",
                ["description"] = """
                    Micro-mentoring programs for school districts: programs, enrolments, matching, engagements, notifications.
                    Every call carries the district's API key in the X-Api-Key header. Every POST takes an Idempotency-Key
                    (a repeat within 24 h answers the first answer); changes take If-Match with the ETag a read gave (412 if it
                    changed meanwhile). Errors are application/problem+json; a 429 says in Retry-After when to try again.
                    """,
                ["contact"] = contact,
                ["license"] = license,
            },
            ["servers"] = new JsonArray(),
            ["security"] = new JsonArray(new JsonObject { [ApiKeyAuthentication.SchemeName] = new JsonArray() }),
            ["tags"] = new JsonArray(tags.ToArray()),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    [ApiKeyAuthentication.SchemeName] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "header",
                        ["name"] = ApiKeyAuthentication.Header,
                        ["description"] = "The district's API key, as issued by Torace (shown once when created).",
                    },
                },
            },
        };
    }
}

public sealed class ServiceDocumentUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public static class PublicApiDocumentSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string DocsPath = "/docs";

    public static IHostApplicationBuilder AddPublicApiDocument(this IHostApplicationBuilder builder)
    {
        // The gateway's own endpoints (API keys and the like) are documented like every service's.
        builder.Services.AddOpenApi(PublicApiDocument.OwnDocumentName, OpenApiConventions.Configure);
        builder.Services.TryAddSingleton(provider => RouteTable.FromConfiguration(provider.GetRequiredService<IConfiguration>().GetSection(RouteTable.Section)));
        builder.Services.AddHttpClient(PublicApiDocument.HttpClientName);
        builder.Services.AddSingleton<PublicApiDocument>();
        return builder;
    }

    public static WebApplication MapPublicApiDocument(this WebApplication app)
    {
        app.MapGet(DocumentPath, (HttpRequest request, PublicApiDocument document, CancellationToken ct) => document.Answer(request, ct))
            .AllowAnonymous()
            .ExcludeFromDescription();
        // Scalar's script is embedded in the package and served from /docs/scalar.js: the reference renders offline.
        app.MapScalarApiReference(DocsPath, scalar => scalar
                .WithTitle("Torace public API")
                .WithOpenApiRoutePattern(DocumentPath)
                .AddPreferredSecuritySchemes(ApiKeyAuthentication.SchemeName)
                .DisableDefaultFonts()
                .DisableTelemetry())
            .AllowAnonymous();
        return app;
    }
}

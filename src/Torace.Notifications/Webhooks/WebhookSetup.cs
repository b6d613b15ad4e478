using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Polly;
using Torace.Platform.Erasure;

namespace Torace.Notifications.Webhooks;

public static class WebhookSetup
{
    /// <summary>
    /// Webhooks: the options, the address rule, the outbound HttpClient (Polly's attempt timeout, no redirects, the address
    /// rule on every connection; retries are the dispatcher's, spread over a day, so the standard handler's quick retries
    /// are taken off), the dispatcher, and the catalogue's payloads in the OpenAPI document.
    /// </summary>
    public static void AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        builder.Services.AddSingleton(sp => new WebhookAddresses(
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateAddresses ?? builder.Environment.IsDevelopment()));
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers: the one way to take the defaults' standard handler off a client
        builder.Services.AddHttpClient(WebhookDispatcher.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // A proxy would connect on our behalf, past the address rule (which would only see the proxy's address).
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<WebhookAddresses>().Connect,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("webhook-attempt", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.AttemptTimeout));
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<WebhookDispatcher>();
        // A payload names an enrolment's external id: an erasure masks the delivery log too.
        builder.Services.AddSingleton(new PersonalDataColumn($"{NotificationsService.Name}.{WebhookQueue.DeliveriesTable}", "payload"));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.Configure<OpenApiOptions>("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            document.Extensions["x-webhooks"] = new JsonNodeExtension(Document());
            return Task.CompletedTask;
        }));
    }

    /// <summary>
    /// The catalogue as OpenAPI 3.1's <c>webhooks</c> section says it (one POST per event type, its payload's schema), kept
    /// under <c>x-webhooks</c> because the document is OpenAPI 3.0 for NSwag's sake.
    /// </summary>
    public static JsonObject Document()
    {
        var webhooks = new JsonObject();
        foreach (var type in WebhookCatalogue.Types)
        {
            var data = AsOpenApi30(SchemaJson.GetJsonSchemaAsNode(type.Data, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true }));
            webhooks[type.Name] = new JsonObject
            {
                ["post"] = new JsonObject
                {
                    ["operationId"] = "Webhook" + string.Concat(type.Name.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..])),
                    ["summary"] = type.Description,
                    ["description"] = $"Version {type.Version}; its resource is the {type.Resource}: deliveries of one resource to one endpoint are sent in the order "
                        + "the events happened, a later one waiting while an earlier one is still being retried. Signed as Standard Webhooks says: webhook-id "
                        + "(the same on every attempt and replay), webhook-timestamp (Unix seconds), webhook-signature (v1,<base64 HMAC-SHA256 of "
                        + "\"id.timestamp.body\"> with the endpoint's whsec_ secret; two while a rotated secret overlaps).",
                    ["tags"] = new JsonArray("Webhooks"),
                    ["parameters"] = new JsonArray(Header(WebhookSignature.IdHeader), Header(WebhookSignature.TimestampHeader), Header(WebhookSignature.SignatureHeader)),
                    ["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject
                        {
                            ["application/json"] = new JsonObject
                            {
                                ["schema"] = new JsonObject
                                {
                                    ["type"] = "object",
                                    ["required"] = new JsonArray("type", "version", "timestamp", "data"),
                                    ["properties"] = new JsonObject
                                    {
                                        ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(type.Name) },
                                        ["version"] = new JsonObject { ["type"] = "integer", ["enum"] = new JsonArray(type.Version) },
                                        ["timestamp"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                                        ["data"] = data,
                                    },
                                },
                            },
                        },
                    },
                    ["responses"] = new JsonObject
                    {
                        ["2XX"] = new JsonObject { ["description"] = "Received. Any other answer, or none within 10 s, is retried with growing waits for 24 hours." },
                    },
                },
            };
        }
        return webhooks;
    }

    /// <summary>The payloads' JSON (camelCase, numbers as numbers) as their schemas are exported.</summary>
    static readonly JsonSerializerOptions SchemaJson = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>JSON Schema's <c>"type": ["string", "null"]</c> said the OpenAPI 3.0 way: <c>"type": "string", "nullable": true</c>.</summary>
    static JsonNode AsOpenApi30(JsonNode node)
    {
        if (node is JsonObject schema)
        {
            if (schema["type"] is JsonArray types)
            {
                var named = types.Select(t => (string)t!).ToList();
                schema["type"] = named.Single(t => t != "null");
                if (named.Contains("null"))
                {
                    schema["nullable"] = true;
                }
            }
            foreach (var (_, child) in schema.ToList())
            {
                if (child is not null)
                {
                    AsOpenApi30(child);
                }
            }
        }
        else if (node is JsonArray items)
        {
            foreach (var item in items.OfType<JsonNode>())
            {
                AsOpenApi30(item);
            }
        }
        return node;
    }

    static JsonObject Header(string name) => new() { ["name"] = name, ["in"] = "header", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } };
}

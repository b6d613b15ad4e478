using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Torace.Platform.Api;

/// <summary>An endpoint's request body example, written into its OpenAPI document (see <see cref="OpenApiConventions.WithExample{TBuilder}"/>).</summary>
public sealed record OpenApiRequestExample(object Example);

/// <summary>The values a query parameter allows, written into its OpenAPI schema as <c>enum</c> (see <see cref="OpenApiConventions.WithAllowedValues{TBuilder}"/>).</summary>
public sealed record OpenApiAllowedQueryValues(string Parameter, string Name, IReadOnlyList<string> Values);

/// <summary>
/// What every Torace OpenAPI document says the same way, so the gateway can merge them and a generated client
/// (NSwag, Kiota) can trust them: OpenAPI 3.0, allowed values as <c>enum</c>, every problem answer an operation can
/// give, the Idempotency-Key and If-Match headers, request examples, and an operationId on every operation.
/// </summary>
public static class OpenApiConventions
{
    public const string ProblemJson = "application/problem+json";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string IfMatchHeader = "If-Match";
    public const int IdempotencyKeyMaxLength = 200;

    static readonly JsonSerializerOptions ExampleJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    static readonly string[] Writes = ["POST", "PUT", "PATCH", "DELETE"];

    /// <summary>The options every service (and the gateway's own endpoints) registers: <c>AddOpenApi(OpenApiConventions.Configure)</c>.</summary>
    public static void Configure(OpenApiOptions options)
    {
        // 3.0 rather than 3.1: NSwag 14 generates clients from 3.0 documents only.
        options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
        options.AddSchemaTransformer(NumbersAsNumbers);
        options.AddSchemaTransformer(AllowedValuesAsEnum);
        options.AddOperationTransformer(ProblemAnswersHeadersAndExample);
        options.AddOperationTransformer(AllowedQueryValuesAsEnum);
        options.AddDocumentTransformer(NullableReferencesAsReferences);
    }

    /// <summary>The request body's example in the OpenAPI document, serialized as the API's JSON is (camelCase, kebab-case enums).</summary>
    public static TBuilder WithExample<TBuilder>(this TBuilder builder, object example) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenApiRequestExample(example));

    /// <summary>
    /// The values a query filter or a path segment allows (the ones its validation accepts), documented as the parameter's <c>enum</c>; the
    /// name is the schema's title, which generators take for the enum's type (ProgramStatus rather than Status2).
    /// </summary>
    public static TBuilder WithAllowedValues<TBuilder>(this TBuilder builder, string parameter, string name, IEnumerable<string> values) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenApiAllowedQueryValues(parameter, name, [.. values]));

    static Task AllowedQueryValuesAsEnum(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        foreach (var allowed in context.Description.ActionDescriptor.EndpointMetadata.OfType<OpenApiAllowedQueryValues>())
        {
            var parameter = operation.Parameters?.OfType<OpenApiParameter>().SingleOrDefault(p => p.In is ParameterLocation.Query or ParameterLocation.Path && p.Name == allowed.Parameter)
                ?? throw new InvalidOperationException($"{context.Description.RelativePath} has no query or path parameter '{allowed.Parameter}' to give allowed values.");
            parameter.Schema = new OpenApiSchema { Title = allowed.Name, Type = JsonSchemaType.String, Enum = [.. allowed.Values.Select(v => (JsonNode)JsonValue.Create(v))] };
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The web JSON defaults also read numbers from strings, which the generator documents as "integer or a string
    /// matching a pattern"; clients should send numbers, so the document says number (the server stays lenient).
    /// </summary>
    static Task NumbersAsNumbers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        // The model holds these as one type set (integer | string, 3.1 style) that a 3.0 document writes as anyOf.
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }

    static Task AllowedValuesAsEnum(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var allowed = context.JsonPropertyInfo?.AttributeProvider?
            .GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true)
            .OfType<AllowedValuesAttribute>()
            .FirstOrDefault();
        if (allowed is null)
        {
            return Task.CompletedTask;
        }
        var values = allowed.Values.Where(v => v is not null).Select(v => (JsonNode)JsonValue.Create(v!.ToString())!).ToList();
        // A list of limited strings (IReadOnlyList<string> topics) limits its items; a single string limits itself.
        var target = schema.Type is { } type && type.HasFlag(JsonSchemaType.Array) && schema.Items is OpenApiSchema items ? items : schema;
        target.Enum = values;
        return Task.CompletedTask;
    }

    static async Task ProblemAnswersHeadersAndExample(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var method = description.HttpMethod?.ToUpperInvariant() ?? "GET";
        var path = "/" + (description.RelativePath ?? "").TrimStart('/');
        if (string.IsNullOrWhiteSpace(operation.OperationId))
        {
            throw new InvalidOperationException(
                $"{method} {path} has no operationId: give the endpoint a name with .WithName(\"VerbNoun\"), so generated clients get a stable method name.");
        }

        operation.Responses ??= [];
        var hasPathParameter = description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path);
        await Answer(operation, context, "400", "The request is not valid: the errors name each field.", typeof(HttpValidationProblemDetails), ct);
        await Answer(operation, context, "401", "No valid district API key was sent (X-Api-Key).", typeof(ProblemDetails), ct);
        await Answer(operation, context, "403", "The key is valid but may not do this (missing scope, or another principal's resource).", typeof(ProblemDetails), ct);
        if (hasPathParameter)
        {
            await Answer(operation, context, "404", "Nothing with this id in the district.", typeof(ProblemDetails), ct);
        }
        if (Writes.Contains(method))
        {
            await Answer(operation, context, "409", "The change does not fit the resource's current state, or someone changed it at the same time.", typeof(ProblemDetails), ct);
            await Answer(operation, context, "412", "If-Match named a version that is no longer current; read the resource again.", typeof(ProblemDetails), ct);
            AddHeader(operation, IfMatchHeader,
                "Apply the change only if the resource's current ETag (its version) is this one; otherwise 412.", maxLength: null);
        }
        if (method == "POST")
        {
            await Answer(operation, context, "422", "The Idempotency-Key was used before with a different body.", typeof(ProblemDetails), ct);
            AddHeader(operation, IdempotencyKeyHeader,
                "A key of the caller's choosing, per district: repeat with the same key and body within 24 h returns the first answer; a different body answers 422.",
                IdempotencyKeyMaxLength);
        }
        await Answer(operation, context, "429", "Too many requests for this district; retry after the time in Retry-After.", typeof(ProblemDetails), ct);

        var example = description.ActionDescriptor.EndpointMetadata.OfType<OpenApiRequestExample>().LastOrDefault();
        if (example is not null && operation.RequestBody?.Content is { } content)
        {
            foreach (var media in content.Where(c => c.Key.Contains("json", StringComparison.OrdinalIgnoreCase)))
            {
                media.Value.Example = JsonSerializer.SerializeToNode(example.Example, ExampleJson);
            }
        }
    }

    /// <summary>
    /// A nullable property of a record type comes out as oneOf [null, $ref]; in 3.0 that null member is a bare
    /// "nullable: true" without a type, which linters refuse and generators misread. An optional reference says the same,
    /// so the property also leaves the schema's required list (a generated client then accepts the null).
    /// </summary>
    static Task NullableReferencesAsReferences(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            Visit(schema);
        }
        foreach (var operation in document.Paths?.Values.SelectMany(p => (IEnumerable<OpenApiOperation>?)p.Operations?.Values ?? []) ?? [])
        {
            foreach (var media in (operation.RequestBody?.Content?.Values ?? []).Concat(operation.Responses?.Values.SelectMany(r => r.Content?.Values ?? []) ?? []))
            {
                media.Schema = Simplify(media.Schema);
            }
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                parameter.Schema = Simplify(parameter.Schema);
            }
        }
        return Task.CompletedTask;

        static IOpenApiSchema? Simplify(IOpenApiSchema? schema)
        {
            if (schema is not OpenApiSchema own)
            {
                return schema;
            }
            if (own.OneOf is { Count: 2 } oneOf && oneOf.Count(IsNull) == 1 && oneOf.Single(o => !IsNull(o)) is OpenApiSchemaReference reference)
            {
                if (own.Description is null)
                {
                    return reference;
                }
                own.OneOf = null;
                own.AllOf = [reference];
                return own;
            }
            Visit(own);
            return own;
        }

        static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

        static void Visit(OpenApiSchema schema)
        {
            foreach (var name in schema.Properties?.Keys.ToList() ?? [])
            {
                var property = schema.Properties![name];
                if (property is OpenApiSchema { OneOf: { Count: 2 } oneOf } && oneOf.Any(IsNull))
                {
                    schema.Required?.Remove(name);
                }
                schema.Properties[name] = Simplify(property)!;
            }
            schema.Items = Simplify(schema.Items);
            schema.AdditionalProperties = Simplify(schema.AdditionalProperties);
        }
    }

    /// <summary>Declares a problem answer unless the endpoint declares that status already (then gives it the problem body if it has none).</summary>
    static async Task Answer(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description, Type problem, CancellationToken ct)
    {
        if (operation.Responses!.TryGetValue(status, out var declared))
        {
            if (declared is OpenApiResponse { Content: null or { Count: 0 } } empty)
            {
                empty.Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = await ProblemSchema(context, problem, ct) } };
            }
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = await ProblemSchema(context, problem, ct) } },
        };
    }

    /// <summary>A reference to the ProblemDetails (or HttpValidationProblemDetails) component, added to the document once.</summary>
    static async Task<IOpenApiSchema> ProblemSchema(OpenApiOperationTransformerContext context, Type problem, CancellationToken ct)
    {
        var name = problem.Name;
        if (context.Document?.Components?.Schemas?.ContainsKey(name) != true)
        {
            var schema = await context.GetOrCreateSchemaAsync(problem, null, ct);
            context.Document!.AddComponent(name, schema);
        }
        return new OpenApiSchemaReference(name, context.Document);
    }

    static void AddHeader(OpenApiOperation operation, string name, string description, int? maxLength)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength },
        });
    }
}

using System.Text.Json.Nodes;

namespace Torace.Gateway.ApiDocument;

/// <summary>One OpenAPI document to merge: whose it is, and which of its operations the public API exposes.</summary>
public sealed record ApiDocumentSource(string Name, JsonObject Document, Func<string, string, bool> Exposes);

/// <summary>
/// Merges OpenAPI 3.0 documents into one: the exposed operations of each, the components they use (a component that
/// is the same in two documents is kept once; a different one of the same name is renamed with its document's name
/// as prefix, and every reference to it rewritten), the tags they carry, and their outbound webhooks (<c>x-webhooks</c>).
/// </summary>
public static class ApiDocumentMerge
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
    const string ComponentsPrefix = "#/components/";

    /// <summary>Outbound webhooks' payloads, as OpenAPI 3.1's <c>webhooks</c> says them, kept under an extension in a 3.0 document (inline schemas only).</summary>
    const string WebhooksKey = "x-webhooks";

    public static JsonObject Merge(IEnumerable<ApiDocumentSource> sources, JsonObject root)
    {
        var paths = new JsonObject();
        var components = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var tags = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        string? version = null;
        var webhooks = new JsonObject();

        foreach (var source in sources)
        {
            version ??= (string?)source.Document["openapi"];
            foreach (var (type, item) in source.Document[WebhooksKey] as JsonObject ?? [])
            {
                webhooks[type] ??= item?.DeepClone();
            }
            var operations = ExposedOperations(source);
            if (operations.Count == 0)
            {
                continue;
            }
            var own = Components(source.Document);
            var used = Closure(operations.Select(o => o.Operation), own);
            var renames = Renames(source.Name, own, used, components);

            foreach (var (path, method, operation) in operations)
            {
                var pathItem = paths[path] as JsonObject ?? (JsonObject)(paths[path] = new JsonObject());
                if (!pathItem.ContainsKey(method))
                {
                    pathItem[method] = Rewrite(operation, renames);
                }
                foreach (var tag in operation["tags"]?.AsArray().Select(t => (string?)t).OfType<string>() ?? [])
                {
                    tags.TryAdd(tag, new JsonObject { ["name"] = tag });
                }
            }
            foreach (var reference in used)
            {
                var kind = Split(reference).Kind;
                var name = Split(renames.GetValueOrDefault(reference, reference)).Name;
                var target = components.TryGetValue(kind, out var existing) ? existing : components[kind] = new JsonObject();
                if (!target.ContainsKey(name))
                {
                    target[name] = Rewrite(own[reference], renames);
                }
            }
            foreach (var tag in source.Document["tags"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                if ((string?)tag["name"] is { } name && tags.TryGetValue(name, out var known) && !known.ContainsKey("description") && tag["description"] is { } description)
                {
                    known["description"] = description.DeepClone();
                }
            }
        }

        var merged = (JsonObject)root.DeepClone();
        merged["openapi"] ??= version ?? "3.0.4";
        merged["paths"] = paths;
        if (webhooks.Count > 0)
        {
            merged[WebhooksKey] = webhooks;
        }
        var mergedComponents = merged["components"] as JsonObject ?? new JsonObject();
        foreach (var (kind, entries) in components.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var target = mergedComponents[kind] as JsonObject ?? (JsonObject)(mergedComponents[kind] = new JsonObject());
            foreach (var (name, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                target[name] ??= value!.DeepClone();
            }
        }
        merged["components"] = mergedComponents;
        var rootTags = merged["tags"]?.AsArray().OfType<JsonObject>().ToDictionary(t => (string)t["name"]!, t => t) ?? [];
        merged["tags"] = new JsonArray(tags.Values
            .Select(t => rootTags.TryGetValue((string)t["name"]!, out var described) ? described.DeepClone() : t)
            .OrderBy(t => (string?)t["name"], StringComparer.Ordinal)
            .ToArray<JsonNode?>());
        return merged;
    }

    /// <summary>Every reference (#/components/{kind}/{name}) an operation uses, directly or through other components.</summary>
    static HashSet<string> Closure(IEnumerable<JsonNode> roots, IReadOnlyDictionary<string, JsonNode> own)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonNode>(roots);
        while (pending.TryPop(out var node))
        {
            foreach (var reference in References(node))
            {
                if (seen.Add(reference) && own.TryGetValue(reference, out var target))
                {
                    pending.Push(target);
                }
            }
        }
        seen.IntersectWith(own.Keys);
        return seen;
    }

    /// <summary>
    /// The new names of this document's components that clash with a different component already merged. A rename
    /// changes the references inside other components, so they are compared again until nothing changes.
    /// </summary>
    static Dictionary<string, string> Renames(string source, IReadOnlyDictionary<string, JsonNode> own, HashSet<string> used, Dictionary<string, JsonObject> merged)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefix = char.ToUpperInvariant(source[0]) + source[1..];
        bool changed;
        do
        {
            changed = false;
            foreach (var reference in used.Where(r => !renames.ContainsKey(r)))
            {
                var (kind, name) = Split(reference);
                if (merged.TryGetValue(kind, out var existing) && existing[name] is { } other
                    && !JsonNode.DeepEquals(other, Rewrite(own[reference], renames)))
                {
                    renames[reference] = $"{ComponentsPrefix}{kind}/{prefix}{name}";
                    changed = true;
                }
            }
        }
        while (changed);
        return renames;
    }

    static List<(string Path, string Method, JsonObject Operation)> ExposedOperations(ApiDocumentSource source)
    {
        var found = new List<(string, string, JsonObject)>();
        foreach (var (path, item) in source.Document["paths"]?.AsObject() ?? [])
        {
            var normalised = path.Length > 1 ? path.TrimEnd('/') : path;
            foreach (var method in Methods)
            {
                if (item?[method] is JsonObject operation && source.Exposes(method.ToUpperInvariant(), normalised))
                {
                    found.Add((normalised, method, operation));
                }
            }
        }
        return found;
    }

    static Dictionary<string, JsonNode> Components(JsonObject document)
    {
        var all = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (kind, entries) in document["components"]?.AsObject() ?? [])
        {
            foreach (var (name, value) in entries?.AsObject() ?? [])
            {
                if (value is not null)
                {
                    all[$"{ComponentsPrefix}{kind}/{name}"] = value;
                }
            }
        }
        return all;
    }

    static IEnumerable<string> References(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && (string?)value is { } reference && reference.StartsWith(ComponentsPrefix, StringComparison.Ordinal))
                    {
                        yield return reference;
                    }
                    else if (value is not null)
                    {
                        foreach (var inner in References(value))
                        {
                            yield return inner;
                        }
                    }
                }
                break;
            case JsonArray array:
                foreach (var inner in array.OfType<JsonNode>().SelectMany(References))
                {
                    yield return inner;
                }
                break;
        }
    }

    static JsonNode Rewrite(JsonNode node, IReadOnlyDictionary<string, string> renames)
    {
        var copy = node.DeepClone();
        if (renames.Count > 0)
        {
            RewriteInPlace(copy, renames);
        }
        return copy;
    }

    static void RewriteInPlace(JsonNode node, IReadOnlyDictionary<string, string> renames)
    {
        if (node is JsonObject obj)
        {
            if ((string?)(obj["$ref"] as JsonValue) is { } reference && renames.TryGetValue(reference, out var renamed))
            {
                obj["$ref"] = renamed;
            }
            foreach (var value in obj.Select(p => p.Value).OfType<JsonNode>().ToList())
            {
                RewriteInPlace(value, renames);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var value in array.OfType<JsonNode>())
            {
                RewriteInPlace(value, renames);
            }
        }
    }

    static (string Kind, string Name) Split(string reference)
    {
        var rest = reference[ComponentsPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return (rest[..slash], rest[(slash + 1)..]);
    }
}

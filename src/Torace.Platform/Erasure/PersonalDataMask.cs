using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Torace.Platform.Erasure;

/// <summary>What an erased person's personal data reads as afterwards, wherever it was.</summary>
public static class Erased
{
    public const string Name = "Erased person";
    /// <summary>An address under the reserved <c>.invalid</c> domain (RFC 2606): nothing is ever sent to it.</summary>
    public const string Email = "erased@erased.invalid";
    public const string Text = "[erased]";

    /// <summary>
    /// The external id an erased person is known by afterwards: one random pseudonym per erasure, so the people a report
    /// counts (mentors by external id) stay apart without saying who they were.
    /// </summary>
    public static string ExternalId(Guid pseudonym) => $"erased-{pseudonym:N}";

    public static bool IsAddress(string? email) => email is not null && email.EndsWith("@erased.invalid", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The strings that identify an erased person, found beside their enrolment ids: names, emails, external ids. Each maps
/// to what it reads as afterwards.
/// </summary>
public sealed class PersonalIdentifiers(IEnumerable<Guid> enrolmentIds, Guid pseudonym)
{
    readonly Dictionary<string, (string Replacement, Regex? InText)> replacements = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlySet<string> EnrolmentIds { get; } = enrolmentIds.Select(id => id.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public string ExternalId { get; } = Erased.ExternalId(pseudonym);

    public IReadOnlyCollection<string> Identifiers => replacements.Keys;

    /// <summary>
    /// The texts that mark a row as possibly holding this person's data: their enrolment ids, email addresses and external
    /// ids. Not names: another person may have the same one, and their rows stay as they are. A row found by a text that
    /// only contains one of these (Joann's address for Ann's) is left as it is by <see cref="PersonalDataMask.Mask"/>.
    /// </summary>
    public IEnumerable<string> SearchTerms => EnrolmentIds.Concat(replacements.Where(r => r.Value.Replacement != Erased.Name).Select(r => r.Key));

    internal bool TryReplace(string whole, out string replacement)
    {
        var found = replacements.TryGetValue(whole.Trim(), out var r);
        replacement = r.Replacement;
        return found;
    }

    internal IEnumerable<(Regex InText, string Replacement)> InText =>
        replacements.Values.Where(r => r.InText is not null).Select(r => (r.InText!, r.Replacement));

    internal void Add(string value, string replacement)
    {
        value = value.Trim();
        if (value.Length == 0 || string.Equals(value, replacement, StringComparison.OrdinalIgnoreCase) || replacements.ContainsKey(value))
        {
            return;
        }
        // Inside other text an address is masked only as a whole address, and a name only as a whole full name (two words
        // or more): "ann@x.org" never inside "joann@x.org", "Madison" never in "Madison High". An external id is masked as
        // a whole value only.
        Regex? inText = replacement == Erased.Email
            ? new Regex($@"(?<![\w.%+-]){Regex.Escape(value)}(?![\w.-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
            : replacement == Erased.Name && value.Contains(' ')
                ? new Regex($@"(?<!\w){Regex.Escape(value)}(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
                : null;
        replacements[value] = (replacement, inText);
    }
}

/// <summary>
/// Masks one person's personal data in a JSON document or event, without knowing its type. An object is the person's
/// when one of its own values is one of their enrolment ids: its name, email and external id are collected and masked,
/// and what they wrote (reflections, notes, reasons, links, requests) is masked; so is what an object says beside its one
/// person (a decline's reason beside its decliner). Then every string anywhere that is one of the identifiers, or holds
/// a whole address or full name of theirs, is masked too (a group's member list, a stored answer, a dictionary key), so
/// a search for the name or address finds nothing. Ids, times, sites, roles and counts stay: reports still add up.
/// </summary>
public static class PersonalDataMask
{
    static readonly HashSet<string> NameProperties = new(StringComparer.OrdinalIgnoreCase) { "name", "displayName", "firstName", "lastName", "toName" };
    static readonly HashSet<string> EmailProperties = new(StringComparer.OrdinalIgnoreCase) { "email", "emailAddress", "recipient", "to" };
    const string ExternalIdProperty = "externalId";

    static readonly HashSet<string> WrittenProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "text", "notes", "reason", "response", "feedback", "comment", "link", "workProductUrl", "workProduct", "bio", "phone", "requests",
    };

    /// <summary>Adds the identifiers this node holds for the person's enrolments.</summary>
    public static void Collect(JsonNode? node, PersonalIdentifiers person)
    {
        foreach (var owned in Objects(node).Where(o => Owns(o, person)))
        {
            foreach (var (key, value) in owned)
            {
                // A short external id ("17") could be any number elsewhere: it is masked where it is the person's only.
                if (value is JsonValue v && v.TryGetValue<string>(out var text) && Identifying(key, person) is { } replacement
                    && (replacement != person.ExternalId || text.Trim().Length >= 6))
                {
                    person.Add(text, replacement);
                }
            }
        }
        foreach (var embedded in EmbeddedDocuments(node))
        {
            Collect(embedded, person);
        }
    }

    /// <summary>Masks the person's data in place; answers whether anything changed.</summary>
    public static bool Mask(JsonNode? node, PersonalIdentifiers person)
    {
        var changed = false;
        foreach (var o in Objects(node).ToList())
        {
            var owned = Owns(o, person);
            if (!owned && !Authored(o, person))
            {
                continue;
            }
            foreach (var (key, value) in o.ToList())
            {
                var masked = WrittenProperties.Contains(key) ? Written(value)
                    : owned && value is JsonValue v && v.TryGetValue<string>(out _) && Identifying(key, person) is { } replacement ? JsonValue.Create(replacement)
                    : null;
                if (masked is not null && !JsonNode.DeepEquals(masked, value))
                {
                    o[key] = masked;
                    changed = true;
                }
            }
        }
        return MaskStrings(node, person) | changed;
    }

    static string? Identifying(string key, PersonalIdentifiers person) =>
        NameProperties.Contains(key) ? Erased.Name
        : EmailProperties.Contains(key) ? Erased.Email
        : key.Equals(ExternalIdProperty, StringComparison.OrdinalIgnoreCase) ? person.ExternalId
        : null;

    /// <summary>What they wrote reads as erased; a list of what they asked for is emptied; nothing stays nothing.</summary>
    static JsonNode? Written(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out _) => JsonValue.Create(Erased.Text),
        JsonArray => new JsonArray(),
        _ => null,
    };

    static bool MaskStrings(JsonNode? node, PersonalIdentifiers person)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        var masked = Masked(text, person);
                        if (masked != text)
                        {
                            o[key] = masked;
                            changed = true;
                        }
                    }
                    else
                    {
                        changed |= MaskStrings(value, person);
                    }
                    var maskedKey = Masked(key, person);
                    if (maskedKey != key)
                    {
                        // Two keys of the person in one dictionary become one: what they held is theirs alike.
                        var held = o[key];
                        o.Remove(key);
                        o[maskedKey] = held?.DeepClone();
                        changed = true;
                    }
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        var masked = Masked(text, person);
                        if (masked != text)
                        {
                            a[i] = masked;
                            changed = true;
                        }
                    }
                    else
                    {
                        changed |= MaskStrings(a[i], person);
                    }
                }
                break;
        }
        return changed;
    }

    /// <summary>
    /// A text with the person's identifiers masked: a whole value that is one, their addresses and full names inside it,
    /// and a JSON document kept as text (a stored answer) masked as the document it is.
    /// </summary>
    public static string Masked(string text, PersonalIdentifiers person)
    {
        if (person.TryReplace(text, out var whole))
        {
            return whole;
        }
        if (Embedded(text) is { } document)
        {
            return Mask(document, person) ? document.ToJsonString() : text;
        }
        foreach (var (inText, replacement) in person.InText)
        {
            text = inText.Replace(text, replacement);
        }
        return text;
    }

    static bool Owns(JsonObject o, PersonalIdentifiers person) =>
        o.Any(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && person.EnrolmentIds.Contains(s));

    /// <summary>An object about one person only (one person among its children and their lists, and it is them): what it says is theirs.</summary>
    static bool Authored(JsonObject o, PersonalIdentifiers person)
    {
        var people = o.Select(p => p.Value)
            .SelectMany(child => child is JsonArray list ? list.OfType<JsonObject>() : child is JsonObject one ? [one] : [])
            .Where(child => child.ContainsKey("enrolmentId"))
            .ToList();
        return people.Count == 1 && Owns(people[0], person);
    }

    static IEnumerable<JsonObject> Objects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o)
                {
                    foreach (var inner in Objects(child))
                    {
                        yield return inner;
                    }
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var inner in Objects(child))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }

    static IEnumerable<JsonNode> EmbeddedDocuments(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && Embedded(s) is { } d ? [d] : EmbeddedDocuments(p.Value)),
        JsonArray a => a.SelectMany(EmbeddedDocuments),
        _ => [],
    };

    static JsonNode? Embedded(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length < 2 || trimmed[0] is not ('{' or '['))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

using System.Text.Json.Nodes;

namespace Torace.Platform.Erasure;

/// <summary>What an erased person's personal data reads as afterwards, wherever it was.</summary>
public static class Erased
{
    public const string Name = "Erased person";
    /// <summary>An address under the reserved <c>.invalid</c> domain (RFC 2606): nothing is ever sent to it.</summary>
    public const string Email = "erased@erased.invalid";
    public const string ExternalId = "erased";
    public const string Text = "[erased]";

    public static bool IsAddress(string? email) => email is not null && email.EndsWith("@erased.invalid", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The strings that identify an erased person, found beside their enrolment ids: names, emails, external ids. Each maps
/// to what it reads as afterwards.
/// </summary>
public sealed class PersonalIdentifiers
{
    readonly Dictionary<string, string> replacements = new(StringComparer.OrdinalIgnoreCase);

    public PersonalIdentifiers(IEnumerable<Guid> enrolmentIds) =>
        EnrolmentIds = enrolmentIds.Select(id => id.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public IReadOnlySet<string> EnrolmentIds { get; }

    public IReadOnlyDictionary<string, string> Replacements => replacements;

    /// <summary>
    /// The texts that mark a row as holding this person's data: their enrolment ids, email addresses and long enough
    /// external ids. Not names: another person may have the same one, and their rows stay as they are.
    /// </summary>
    public IEnumerable<string> SearchTerms => EnrolmentIds.Concat(replacements
        .Where(r => r.Value == Erased.Email || (r.Value == Erased.ExternalId && r.Key.Length >= PersonalDataMask.ShortestInText))
        .Select(r => r.Key));

    internal void Add(string value, string replacement)
    {
        if (!string.IsNullOrWhiteSpace(value) && !string.Equals(value, replacement, StringComparison.OrdinalIgnoreCase))
        {
            replacements.TryAdd(value.Trim(), replacement);
        }
    }
}

/// <summary>
/// Masks one person's personal data in a JSON document or event, without knowing its type. An object is the person's
/// when one of its own values is one of their enrolment ids: its name, email and external id are collected and masked,
/// and the free text they wrote (reflections, notes, reasons, links) is masked. Then every string anywhere that is, or
/// contains, a collected identifier is masked too (a group's member list, a rendered email, a dictionary key), so a
/// search for the name or address finds nothing. Ids, times, sites, roles and counts stay: reports still add up.
/// </summary>
public static class PersonalDataMask
{
    static readonly Dictionary<string, string> IdentifyingProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = Erased.Name, ["displayName"] = Erased.Name, ["firstName"] = Erased.Name, ["lastName"] = Erased.Name,
        ["email"] = Erased.Email, ["emailAddress"] = Erased.Email, ["recipient"] = Erased.Email, ["toName"] = Erased.Name,
        ["externalId"] = Erased.ExternalId,
    };

    static readonly HashSet<string> WrittenProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "text", "notes", "reason", "link", "workProductUrl", "workProduct", "bio", "phone",
    };

    /// <summary>Names shorter than this are masked where they are a whole value only, never inside other text.</summary>
    internal const int ShortestInText = 6;

    /// <summary>Adds the identifiers this node holds for the person's enrolments.</summary>
    public static void Collect(JsonNode? node, PersonalIdentifiers person)
    {
        foreach (var owned in OwnedObjects(node, person))
        {
            foreach (var (key, value) in owned)
            {
                if (IdentifyingProperties.TryGetValue(key, out var replacement) && value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    person.Add(text, replacement);
                }
            }
        }
    }

    /// <summary>Masks the person's data in place; answers whether anything changed.</summary>
    public static bool Mask(JsonNode? node, PersonalIdentifiers person)
    {
        var changed = false;
        foreach (var owned in OwnedObjects(node, person).ToList())
        {
            foreach (var (key, value) in owned.ToList())
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
                {
                    continue;
                }
                var masked = IdentifyingProperties.TryGetValue(key, out var replacement) ? replacement
                    : WrittenProperties.Contains(key) ? Erased.Text : text;
                if (masked != text)
                {
                    owned[key] = masked;
                    changed = true;
                }
            }
        }
        return MaskStrings(node, person) | changed;
    }

    static bool MaskStrings(JsonNode? node, PersonalIdentifiers person)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    changed |= MaskStrings(value, person);
                    var maskedKey = Masked(key, person);
                    if (maskedKey != key && !o.ContainsKey(maskedKey))
                    {
                        o.Remove(key);
                        o[maskedKey] = value;
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
        if (node is JsonObject parent)
        {
            foreach (var (key, value) in parent.ToList())
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text) && Masked(text, person) is var masked && masked != text)
                {
                    parent[key] = masked;
                    changed = true;
                }
            }
        }
        return changed;
    }

    /// <summary>A text with every identifier of the person in it masked: whole values always, inside text when long enough to be theirs.</summary>
    public static string Masked(string text, PersonalIdentifiers person)
    {
        if (person.Replacements.TryGetValue(text.Trim(), out var whole))
        {
            return whole;
        }
        foreach (var (value, replacement) in person.Replacements)
        {
            if ((value.Length >= ShortestInText || value.Contains('@')) && text.Contains(value, StringComparison.OrdinalIgnoreCase))
            {
                text = text.Replace(value, replacement, StringComparison.OrdinalIgnoreCase);
            }
        }
        return text;
    }

    static IEnumerable<JsonObject> OwnedObjects(JsonNode? node, PersonalIdentifiers person)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.Any(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && person.EnrolmentIds.Contains(s)))
                {
                    yield return o;
                }
                foreach (var (_, child) in o)
                {
                    foreach (var owned in OwnedObjects(child, person))
                    {
                        yield return owned;
                    }
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var owned in OwnedObjects(child, person))
                    {
                        yield return owned;
                    }
                }
                break;
        }
    }
}

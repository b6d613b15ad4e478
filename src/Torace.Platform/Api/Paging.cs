using System.Text;
using Microsoft.AspNetCore.Http;

namespace Torace.Platform.Api;

/// <summary>One page of a list: the items, a link to the next page (absent on the last), and the total where it is cheap.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next, long? Total);

/// <summary>
/// The one way every list is paged: <c>limit</c> (default 50, at most 500) and an opaque <c>cursor</c> taken from the
/// previous page's <c>next</c> link. The cursor is a position in the list's stable order; callers never build one.
/// </summary>
public readonly record struct PageRequest(int Offset, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The page asked for, or null with the wrong parameter named in <paramref name="validation"/>.</summary>
    public static PageRequest? From(int? limit, string? cursor, Validation validation, int defaultLimit = DefaultLimit)
    {
        validation.Require(limit is null or >= 1 and <= MaxLimit, "limit", $"'limit' must be between 1 and {MaxLimit}.");
        var offset = 0;
        validation.Require(cursor is null || TryDecode(cursor, out offset), "cursor", "'cursor' is not a cursor this list gave out; use the 'next' link of the previous page.");
        return validation.IsValid ? new PageRequest(offset, limit ?? defaultLimit) : null;
    }

    /// <summary>The page of <paramref name="items"/> (already skipped and taken), linking to the next one when there is more.</summary>
    public Page<T> Answer<T>(IReadOnlyList<T> items, long total, HttpRequest request) =>
        new(items, NextOf(items.Count, total, request), total);

    /// <summary>The link to the page after one of <paramref name="count"/> items, or null when that page was the last.</summary>
    public string? NextOf(int count, long total, HttpRequest request) => Offset + count < total ? NextLink(request, Offset + count) : null;

    /// <summary>Pages a list held in memory (a timeline merged from several sources).</summary>
    public Page<T> Of<T>(IReadOnlyList<T> all, HttpRequest request) =>
        Answer([.. all.Skip(Offset).Take(Limit)], all.Count, request);

    string NextLink(HttpRequest request, int offset)
    {
        var query = request.Query.Where(q => q.Key is not ("cursor" or "limit"))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("limit", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new("cursor", Encode(offset)));
        return request.Path + QueryString.Create(query).ToUriComponent();
    }

    static string Encode(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"o:{offset}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static bool TryDecode(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("o:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

using System.Globalization;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Torace.Programs.Reports;

/// <summary>CSV answers (RFC 4180, UTF-8, a header row) for callers that send <c>Accept: text/csv</c>.</summary>
public static class CsvExport
{
    public const string ContentType = "text/csv";

    public static bool Wanted(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase));

    public static IResult File(string name, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var csv = new StringBuilder();
        Line(csv, header);
        foreach (var row in rows)
        {
            Line(csv, row);
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), $"{ContentType}; charset=utf-8", name);
    }

    static void Line(StringBuilder csv, IEnumerable<object?> cells)
    {
        csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
    }

    static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        // A cell a spreadsheet would run as a formula is quoted with a leading apostrophe.
        if (text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal) && value is string)
        {
            text = "'" + text;
        }
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}

using System.Globalization;
using System.Text;

namespace Torace.Admin.Programs;

/// <summary>A table as CSV a spreadsheet opens as it is: UTF-8 with a BOM, CRLF lines, fields quoted when they need it.</summary>
public static class CsvFile
{
    public static byte[] Of(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var text = new StringBuilder();
        Line(text, header);
        foreach (var row in rows)
        {
            Line(text, [.. row.Select(Field)]);
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    static string Field(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static void Line(StringBuilder text, IReadOnlyList<string> fields)
    {
        text.AppendJoin(',', fields.Select(Quoted)).Append("\r\n");
    }

    /// <summary>Quoted when it holds a comma, a quote or a line break, or could be read as a formula (=, +, -, @).</summary>
    static string Quoted(string field)
    {
        var safe = field.Length > 0 && field[0] is '=' or '+' or '-' or '@' ? "'" + field : field;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 || safe != field ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}

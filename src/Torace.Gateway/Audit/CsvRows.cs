using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;

namespace Torace.Gateway.Audit;

/// <summary>A CSV answer's rows as JSON objects named by its header, so the audit reads them as it reads JSON answers.</summary>
public static class CsvRows
{
    static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        HasHeader = true,
        SkipEmptyLines = true,
        AllowLineBreaksInQuotes = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
    };

    /// <summary>
    /// Each row as an object of its header's names; a cell that holds a JSON object (a history entry's facts) is that object.
    /// Text that is no CSV with a header answers no rows.
    /// </summary>
    public static IEnumerable<JsonElement> AsObjects(string text)
    {
        if (!text.Contains(',', StringComparison.Ordinal) || !text.Contains('\n', StringComparison.Ordinal))
        {
            yield break;
        }
        using var reader = CsvReader.FromText(text, Options);
        var headers = reader.Headers;
        while (reader.Read())
        {
            var cells = reader.Current.ToArray();
            var row = new JsonObject();
            for (var i = 0; i < Math.Min(headers.Count, cells.Length); i++)
            {
                row[headers[i]] = Cell(cells[i]);
            }
            yield return JsonSerializer.SerializeToElement(row);
        }
    }

    static JsonNode? Cell(string? cell)
    {
        if (cell is { Length: > 1 } && cell[0] == '{')
        {
            try
            {
                return JsonNode.Parse(cell);
            }
            catch (JsonException)
            {
            }
        }
        return cell;
    }
}

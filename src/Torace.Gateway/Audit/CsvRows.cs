using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;

namespace Torace.Gateway.Audit;

/// <summary>A CSV answer's rows as JSON objects named by its header, so the audit reads them as it reads JSON answers.</summary>
public static class CsvRows
{
    static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = true,
        SkipEmptyLines = true,
        AllowLineBreaksInQuotes = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
    };

    /// <summary>
    /// Each row as an object of its header's names; a cell that holds a JSON object (a history entry's facts) is that object.
    /// Text that is no CSV with a header answers no rows; a cell of JSON nested deeper than <see cref="CellDepth"/> is kept as
    /// text, so a row (one level more) is always within what the serializer writes.
    /// </summary>
    public static IReadOnlyList<JsonElement> AsObjects(string text)
    {
        if (!text.Contains(',', StringComparison.Ordinal) || !text.Contains('\n', StringComparison.Ordinal))
        {
            return [];
        }
        var rows = new List<JsonElement>();
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
            rows.Add(JsonSerializer.SerializeToElement(row));
        }
        return rows;
    }

    const int CellDepth = 32;

    static JsonNode? Cell(string? cell)
    {
        if (cell is { Length: > 1 } && cell[0] == '{')
        {
            try
            {
                return JsonNode.Parse(cell, documentOptions: new JsonDocumentOptions { MaxDepth = CellDepth });
            }
            catch (JsonException)
            {
            }
        }
        return cell;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Torace.Programs.Enrolment;

namespace Torace.Programs.Import;

/// <summary>One row of an import as sent: its number (from 1, the header not counted), the enrolment it asks for, and the fields that did not parse.</summary>
public sealed record ImportLine(int Row, EnrolRequest Request, IReadOnlyDictionary<string, string> ParseErrors);

/// <summary>Why a whole file is refused before any row is looked at: 400 naming the field, or 413 past the row limit.</summary>
public sealed record ImportFileProblem(int Status, string Field, string Message);

/// <summary>A file read into rows, or the reason it cannot be.</summary>
public sealed record ImportFileContent(IReadOnlyList<ImportLine> Lines, IReadOnlyList<string> IgnoredColumns, ImportFileProblem? Problem)
{
    public static ImportFileContent Refused(int status, string field, string message) => new([], [], new ImportFileProblem(status, field, message));
}

/// <summary>
/// Reads an import file, pure (no I/O): CSV as a spreadsheet exports it (UTF-8 with or without a byte order mark, CRLF,
/// quoted fields, trailing empty rows and columns, Excel's <c>sep=;</c> first line), or a JSON array of enrolment bodies.
/// Header names are the enrolment body's fields, matched without case, spaces, dashes or underscores
/// (<c>External ID</c> is <c>externalId</c>); list fields (topics, availability, requests) separate their values with
/// <c>;</c> or <c>|</c>. Unknown columns are ignored and named in the answer.
/// </summary>
public static class ImportFile
{
    public const int MaxRows = 10_000;
    public const string ListSeparators = "; or |";
    static readonly char[] ListSeparatorChars = [';', '|'];

    public static readonly string[] Columns =
        ["role", "externalId", "name", "email", "site", "topics", "modality", "timeZone", "capacity", "jobRole", "yearsExperience", "availability", "requests"];

    public static readonly string[] RequiredColumns = ["role", "externalId", "name", "email", "site"];

    public const string CsvExample =
        "role,externalId,name,email,site,topics,modality,timeZone,capacity,jobRole,yearsExperience,availability,requests\r\n"
        + "mentor,HR-10001,Maria Lopez,maria.lopez@district.example.org,Lincoln High,sel;lesson-planning,virtual,America/Chicago,3,teacher,12,tue-pm;thu-pm,\r\n"
        + "mentee,HR-20417,Sam Rivera,sam.rivera@district.example.org,Roosevelt Elementary,sel,virtual,America/Chicago,,teacher,3,tue-pm,HR-10001\r\n";

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    static readonly Dictionary<string, string> ColumnByKey = Columns.ToDictionary(Key, c => c);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    static string Key(string header) =>
        new([.. header.Where(c => !char.IsWhiteSpace(c) && c is not ('_' or '-')).Select(char.ToLowerInvariant)]);

    public static ImportFileContent ReadCsv(byte[] bytes)
    {
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return ImportFileContent.Refused(400, "file", "The file is UTF-16; save it as CSV UTF-8 (comma delimited) and import it again.");
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var offset = e.Index >= 0 ? $" at byte {e.Index + start}" : "";
            return ImportFileContent.Refused(400, "file",
                $"The file is not UTF-8 (an invalid byte sequence{offset}); save it as CSV UTF-8 (comma delimited) and import it again.");
        }

        var separator = ',';
        if (text.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && text.Length > 4 && text[4] is not ('\r' or '\n'))
        {
            separator = text[4];
            var lineEnd = text.IndexOf('\n', StringComparison.Ordinal);
            text = lineEnd < 0 ? "" : text[(lineEnd + 1)..];
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return ImportFileContent.Refused(400, "file", "The file is empty: it needs a header row naming the columns, then one row per person.");
        }

        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            AllowLineBreaksInQuotes = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
        };
        using var reader = CsvReader.FromText(text, options);

        var headers = reader.Headers;
        var columnAt = new Dictionary<string, int>();
        var ignored = new List<string>();
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].Trim();
            if (header.Length == 0)
            {
                continue; // a spreadsheet's trailing empty columns
            }
            if (ColumnByKey.TryGetValue(Key(header), out var column))
            {
                columnAt.TryAdd(column, i);
            }
            else
            {
                ignored.Add(header);
            }
        }
        var missing = RequiredColumns.Where(c => !columnAt.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            return ImportFileContent.Refused(400, "file",
                $"The header row lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}. "
                + $"The columns are: {string.Join(", ", Columns)} (the first five are required).");
        }

        var lines = new List<ImportLine>();
        var rows = 0;
        while (reader.Read())
        {
            var record = reader.Current.ToArray();
            string? Field(string column) =>
                columnAt.TryGetValue(column, out var i) && i < record.Length && record[i]?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

            if (columnAt.Values.All(i => i >= record.Length || string.IsNullOrWhiteSpace(record[i])))
            {
                continue; // a row of empty cells, as spreadsheets export below the data
            }
            rows++;
            if (rows > MaxRows)
            {
                continue; // counted, so the answer can say how many the file has
            }
            var errors = new Dictionary<string, string>();
            lines.Add(new ImportLine(rows, new EnrolRequest(
                Field("role")?.ToLowerInvariant(),
                Field("externalId"),
                Field("name"),
                Field("email"),
                Field("site"),
                List(Field("topics")),
                Field("modality")?.ToLowerInvariant(),
                Field("timeZone"),
                Number(Field("capacity"), "capacity", errors),
                Field("jobRole"),
                Number(Field("yearsExperience"), "yearsExperience", errors),
                List(Field("availability"))?.Select(s => s.ToLowerInvariant()).ToList(),
                List(Field("requests"))), errors));
        }
        return rows > MaxRows ? TooMany(rows) : new ImportFileContent(lines, ignored, null);
    }

    public static ImportFileContent ReadJson(byte[] bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return ImportFileContent.Refused(400, "body", $"The body is not valid JSON (line {e.LineNumber + 1}); send an array of enrolment bodies.");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return ImportFileContent.Refused(400, "body", "The body must be a JSON array of enrolment bodies, one per person.");
            }
            var count = document.RootElement.GetArrayLength();
            if (count > MaxRows)
            {
                return TooMany(count);
            }
            var lines = new List<ImportLine>(count);
            var row = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                row++;
                try
                {
                    lines.Add(new ImportLine(row, item.Deserialize<EnrolRequest>(Json) ?? Empty, new Dictionary<string, string>()));
                }
                catch (JsonException e)
                {
                    var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('[')[0] : "row";
                    lines.Add(new ImportLine(row, Empty, new Dictionary<string, string> { [field] = $"'{field}' does not have the expected JSON type or format." }));
                }
            }
            return new ImportFileContent(lines, [], null);
        }
    }

    static readonly EnrolRequest Empty = new(null, null, null, null, null, null, null, null, null);

    static ImportFileContent TooMany(int rows) => ImportFileContent.Refused(413, "file",
        $"An import takes at most {MaxRows:N0} rows; this one has {rows:N0}. Split it into files of up to {MaxRows:N0} rows.");

    static List<string>? List(string? value) =>
        value is null ? null : [.. value.Split(ListSeparatorChars, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    static int? Number(string? value, string field, Dictionary<string, string> errors)
    {
        if (value is null)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        errors[field] = $"'{field}' must be a whole number.";
        return null;
    }
}

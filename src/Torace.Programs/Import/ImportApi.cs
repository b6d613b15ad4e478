using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Torace.Platform.Api;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Import;

public static class ImportApi
{
    /// <summary>Up to this many rows the import answers at once; above, 202 and the import resource.</summary>
    public const int InlineRows = 1_000;

    public static IHostApplicationBuilder AddEnrolmentImports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportSignal>();
        builder.Services.AddHostedService<ImportWorker>();
        return builder;
    }

    public static void ConfigureStore(StoreOptions options)
    {
        options.Schema.For<EnrolmentImport>().UseOptimisticConcurrency(true).Index(i => i.Status);
        options.Schema.For<ImportChunk>().Index(c => c.ImportId);
    }

    public static RouteGroupBuilder MapEnrolmentImportApi(this RouteGroupBuilder api)
    {
        var enrolments = api.MapGroup("/programs/{programId:guid}/enrolments").WithTags("Enrolments");
        enrolments.MapPost("/import", Import).WithName("ImportEnrolments")
            .WithSummary("Enrol many people from a CSV file or a JSON array; every row gets its result.")
            .WithDescription(
                "Send `text/csv` (UTF-8, with or without a byte order mark; a header row, then one row per person) or `application/json` (an array of "
                + "enrolment bodies), up to 10,000 rows (more answers 413). CSV columns are the enrolment body's fields, matched without case, spaces, dashes "
                + $"or underscores: {string.Join(", ", ImportFile.Columns)}; role, externalId, name, email and site are required. Topics, availability and "
                + "requests list their values separated by `;` or `|`. Excel's `sep=;` first line sets the separator; empty rows and unnamed columns are "
                + "skipped, unknown columns ignored and named in `ignoredColumns`. Each row is `created`, `updated`, `unchanged` or `rejected` (with its "
                + "field errors, as the single enrolment endpoint gives them); a rejected row never stops the others and is never half-written; a later row "
                + "enrolling the same person (externalId and role) as an earlier one is rejected, naming that row. Importing the same file again changes "
                + "nothing (every row `unchanged`). `dryRun=true` answers what each row would do and writes nothing. Up to 1,000 rows (and every dry run) "
                + "answer 200 with every row's result; a larger import answers 202 with the Location of the import, which reports its progress and then "
                + "every row's result.")
            .AddOpenApiOperationTransformer(RequestBody)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        enrolments.MapGet("/imports/{importId:guid}", Get).WithName("GetEnrolmentImport")
            .WithSummary("A large import: its status (queued, running, completed, failed), rows done of total, counts per result, and a page of row results.");
        return api;
    }

    static async Task<Results<Ok<ImportResponse>, Accepted<ImportAccepted>, ValidationProblem, ProblemHttpResult, NotFound>> Import(
        Guid programId, bool? dryRun, HttpRequest request, IDocumentSession session, IDocumentStore store, ImportSignal signal, TimeProvider clock,
        CancellationToken ct)
    {
        if (await session.LoadAsync<ProgramState>(programId, ct) is not { } program)
        {
            return TypedResults.NotFound();
        }
        if (!program.AcceptsEnrolments)
        {
            throw Rejected.Conflict(program.EnrolmentClosedReason);
        }

        var file = await Read(request, ct);
        if (file.Problem is { } refused)
        {
            return refused.Status == StatusCodes.Status400BadRequest
                ? new Validation().Require(false, refused.Field, refused.Message).Problem()
                : TypedResults.Problem(statusCode: refused.Status, title: refused.Message);
        }

        var planned = ImportRows.Plan(programId, clock.GetUtcNow(), file.Lines);
        if (dryRun == true)
        {
            var preview = await ImportWriter.Preview(session, program, planned, ct);
            return TypedResults.Ok(new ImportResponse(true, preview.Count, ImportCounts.Of(preview), file.IgnoredColumns, [.. preview.Select(ImportRowResult.From)]));
        }
        if (planned.Count <= InlineRows)
        {
            var outcomes = new List<RowOutcome>(planned.Count);
            foreach (var batch in planned.Chunk(ImportWriter.BatchSize))
            {
                outcomes.AddRange((await ImportWriter.Write(store, session.TenantId, programId, batch, stage: null, ct))!);
            }
            await session.SaveChangesAsync(ct); // the Idempotency-Key's record, when one was sent
            return TypedResults.Ok(new ImportResponse(false, outcomes.Count, ImportCounts.Of(outcomes), file.IgnoredColumns, [.. outcomes.Select(ImportRowResult.From)]));
        }

        var importId = Guid.CreateVersion7();
        var chunks = planned.Chunk(ImportWriter.BatchSize).ToList();
        session.Store(new EnrolmentImport(importId, session.TenantId, programId, ImportStatus.Queued, planned.Count, 0, chunks.Count, 0, 0, 0, 0, 0,
            file.IgnoredColumns, clock.GetUtcNow(), null, null));
        foreach (var (rows, number) in chunks.Select((rows, number) => (rows, number)))
        {
            session.Store(new ImportChunk(EnrolmentImport.ChunkId(importId, number), importId, number, rows, null));
        }
        await session.SaveChangesAsync(ct);
        signal.Wake();
        return TypedResults.Accepted($"{PublicApi.Root}/programs/{programId}/enrolments/imports/{importId}",
            new ImportAccepted(importId, ImportStatus.Queued, planned.Count));
    }

    static async Task<ImportFileContent> Read(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return ImportFileContent.Refused(StatusCodes.Status415UnsupportedMediaType, "Content-Type",
                "Send the file as text/csv or the rows as application/json.");
        }
        var media = type.MediaType.Value?.ToLowerInvariant();
        var csv = media is "text/csv" or "application/csv";
        var json = media is "application/json" || media?.EndsWith("+json", StringComparison.Ordinal) == true;
        if (!csv && !json)
        {
            return ImportFileContent.Refused(StatusCodes.Status415UnsupportedMediaType, "Content-Type",
                $"An import is text/csv or application/json, not {media}.");
        }
        if (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return ImportFileContent.Refused(StatusCodes.Status400BadRequest, "Content-Type",
                $"The file must be UTF-8, not {type.Charset}; save it as CSV UTF-8 and import it again.");
        }

        if (request.Body.CanSeek)
        {
            request.Body.Position = 0; // the idempotency filter read it for its fingerprint
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return csv ? ImportFile.ReadCsv(buffer.ToArray()) : ImportFile.ReadJson(buffer.ToArray());
    }

    static async Task<Results<Ok<ImportStatusResponse>, ValidationProblem, NotFound>> Get(
        Guid programId, Guid importId, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation();
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<EnrolmentImport>(importId, ct) is not { } import || import.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }

        var first = page.Offset / ImportWriter.BatchSize;
        var last = Math.Min(import.ChunksDone - 1, (page.Offset + page.Limit - 1) / ImportWriter.BatchSize);
        var rows = new List<ImportRowResult>();
        if (page.Offset < import.Done && last >= first)
        {
            var chunks = await session.LoadManyAsync<ImportChunk>(ct, [.. Enumerable.Range(first, last - first + 1).Select(n => EnrolmentImport.ChunkId(importId, n))]);
            rows.AddRange(chunks.OrderBy(c => c.Number).SelectMany(c => c.Outcomes ?? [])
                .Skip(page.Offset - first * ImportWriter.BatchSize).Take(page.Limit).Select(ImportRowResult.From));
        }
        return TypedResults.Ok(new ImportStatusResponse(import.Id, import.ProgramId, import.Status, import.Total, import.Done,
            new ImportCounts(import.Created, import.Updated, import.Unchanged, import.Rejected), import.IgnoredColumns, import.CreatedAt,
            import.FinishedAt, import.Error, page.Answer(rows, import.Done, request)));
    }

    static readonly JsonSerializerOptions ExampleJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The request body: a CSV file or a JSON array of enrolment bodies, each with an example.</summary>
    static async Task RequestBody(OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        const string name = nameof(EnrolRequest);
        if (context.Document?.Components?.Schemas?.ContainsKey(name) != true)
        {
            context.Document!.AddComponent(name, await context.GetOrCreateSchemaAsync(typeof(EnrolRequest), null, ct));
        }
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = $"Up to {ImportFile.MaxRows:N0} rows: a CSV file with a header row, or a JSON array of enrolment bodies.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/csv"] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV, UTF-8; the columns are the enrolment body's fields." },
                    Example = JsonValue.Create(ImportFile.CsvExample),
                },
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(name, context.Document), MaxItems = ImportFile.MaxRows },
                    Example = JsonSerializer.SerializeToNode(new[] { EnrolRequest.Example }, ExampleJson),
                },
            },
        };
    }
}

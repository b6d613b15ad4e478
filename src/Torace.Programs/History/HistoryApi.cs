using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Programs.Lifecycle;
using Torace.Programs.Reports;

namespace Torace.Programs.History;

/// <summary>
/// One step of a program's timeline: the event's type, when it happened, the service that published it, who caused it
/// when that is known (<c>integrator:{apiKeyId}</c>, <c>coordinator:{user}</c>, <c>participant:{enrolmentId}</c>, <c>system</c>)
/// and the event's facts (ids and values). Text for people is rendered where it is shown.
/// </summary>
public sealed record HistoryEntry(
    Guid Id,
    string Type,
    DateTimeOffset At,
    [property: AllowedValues("programs", "matching", "scheduling", "notifications")] string Service,
    string? Actor,
    IReadOnlyDictionary<string, string> Facts)
{
    public static HistoryEntry From(TimelineEntry e) =>
        new(e.Id, e.Type, e.At, e.Service ?? TimelineTypes.ServiceOf(e.Type), e.Actor, e.Facts ?? new Dictionary<string, string>());
}

public static class HistoryApi
{
    public static RouteGroupBuilder MapHistoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/programs/{programId:guid}/history", Get)
            .WithTags("History").WithName("GetProgramHistory")
            .WithAllowedValues("type", "HistoryEventType", TimelineTypes.All)
            .WithSummary("The program's timeline, oldest first: its own events, its enrolments' and every other service's, each naming its event type.")
            .WithDescription("Paged with limit and cursor; `type` keeps one event type. With `Accept: text/csv` the answer is the whole (filtered) "
                + "timeline as CSV: id, type, at, service, actor, facts (a JSON object).")
            .ProducesCsv();
        return api;
    }

    static async Task<Results<Ok<Page<HistoryEntry>>, FileContentHttpResult, ValidationProblem, NotFound>> Get(
        Guid programId, string? type, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(type is null || TimelineTypes.All.Contains(type), "type", $"'type' must be one of: {string.Join(", ", TimelineTypes.All)}.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<ProgramState>(programId, ct) is null)
        {
            return TypedResults.NotFound();
        }

        var query = session.Query<TimelineEntry>().Stats(out var stats).Where(e => e.ProgramId == programId);
        if (type is not null)
        {
            query = query.Where(e => e.Type == type);
        }
        var ordered = query.OrderBy(e => e.At).ThenBy(e => e.Id);
        if (CsvExport.Wanted(request))
        {
            var all = await ordered.ToListAsync(ct);
            return CsvExport.File($"program-{programId}-history.csv", ["id", "type", "at", "service", "actor", "facts"],
                all.Select(HistoryEntry.From).Select(e => (IReadOnlyList<object?>)[e.Id, e.Type, e.At, e.Service, e.Actor, JsonSerializer.Serialize(e.Facts)]));
        }
        var entries = await ordered.Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. entries.Select(HistoryEntry.From)], stats.TotalResults, request));
    }
}

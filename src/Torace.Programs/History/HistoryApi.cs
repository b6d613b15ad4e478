using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.History;

public sealed record HistoryEntry(string Type, DateTimeOffset At, string Service, string Summary);

public static class HistoryApi
{
    public static RouteGroupBuilder MapHistoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/programs/{programId:guid}/history", Get)
            .WithTags("History").WithName("GetProgramHistory")
            .WithSummary("The program's timeline, oldest first: its own events, its enrolments' and every other service's, each naming its event type.");
        return api;
    }

    static async Task<Results<Ok<Page<HistoryEntry>>, ValidationProblem, NotFound>> Get(
        Guid programId, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation();
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        var own = await session.Events.FetchStreamAsync(programId, token: ct);
        if (own.Count == 0)
        {
            return TypedResults.NotFound();
        }

        var enrolled = await session.Events.QueryRawEventDataOnly<ParticipantEnrolled>().Where(e => e.ProgramId == programId).ToListAsync(ct);
        var withdrawn = await session.Events.QueryRawEventDataOnly<ParticipantWithdrawn>().Where(e => e.ProgramId == programId).ToListAsync(ct);
        var others = await session.Query<TimelineEntry>().Where(e => e.ProgramId == programId).ToListAsync(ct);
        IReadOnlyList<HistoryEntry> timeline =
        [
            .. own.Select(e => Own(e.Data.GetType().Name, e.Timestamp, Describe(e.Data)))
                .Concat(enrolled.Select(e => Own(nameof(ParticipantEnrolled), e.EnrolledAt, $"{e.Name} enrolled as {e.Role}")))
                .Concat(withdrawn.Select(e => Own(nameof(ParticipantWithdrawn), e.WithdrawnAt, $"Enrolment {e.EnrolmentId} withdrawn")))
                .Concat(others.Select(e => new HistoryEntry(e.Type, e.At, ServiceOf(e.Type), e.Summary)))
                .OrderBy(e => e.At),
        ];
        return TypedResults.Ok(page.Of(timeline, request));
    }

    static HistoryEntry Own(string type, DateTimeOffset at, string summary) => new(type, at, ProgramsService.Name, summary);

    static string Describe(object e) => e switch
    {
        ProgramCreated c => $"Program '{c.Definition.Name}' created",
        ProgramOpened => "Enrolment opened",
        MatchingRequested m => $"Matching requested for {m.EnrolmentIds.Count} enrolment(s)",
        _ => e.GetType().Name,
    };

    static string ServiceOf(string type) => type switch
    {
        "MatchProposed" or "MatchDeclined" or "MatchingRunQueued" => "matching",
        "NotificationSent" or "NotificationFailed" => "notifications",
        _ => "scheduling",
    };
}

using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.History;

public sealed record HistoryEntry(string Type, DateTimeOffset At, string Service, string Summary);

public static class HistoryApi
{
    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/programs/{programId:guid}/history", Get)
            .WithTags("History")
            .WithSummary("The program's timeline, oldest first: its own events and every other service's.");
        return app;
    }

    static async Task<Results<Ok<IReadOnlyList<HistoryEntry>>, NotFound>> Get(Guid programId, IQuerySession session, CancellationToken ct)
    {
        var own = await session.Events.FetchStreamAsync(programId, token: ct);
        if (own.Count == 0)
        {
            return TypedResults.NotFound();
        }

        var others = await session.Query<TimelineEntry>().Where(e => e.ProgramId == programId).ToListAsync(ct);
        IReadOnlyList<HistoryEntry> timeline =
        [
            .. own.Select(e => new HistoryEntry(e.Data.GetType().Name, e.Timestamp, ProgramsService.Name, Describe(e.Data)))
                .Concat(others.Select(e => new HistoryEntry(e.Type, e.At, ServiceOf(e.Type), e.Summary)))
                .OrderBy(e => e.At),
        ];
        return TypedResults.Ok(timeline);
    }

    static string Describe(object e) => e switch
    {
        ProgramCreated c => $"Program '{c.Definition.Name}' created",
        ProgramOpened => "Enrolment opened",
        ParticipantEnrolled p => $"{p.Name} enrolled as {p.Role}",
        ParticipantWithdrawn w => $"Enrolment {w.EnrolmentId} withdrawn",
        _ => e.GetType().Name,
    };

    static string ServiceOf(string type) => type switch
    {
        "MatchProposed" or "MatchDeclined" => "matching",
        "NotificationSent" or "NotificationFailed" => "notifications",
        _ => "scheduling",
    };
}

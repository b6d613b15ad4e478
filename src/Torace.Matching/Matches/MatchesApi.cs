using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;

namespace Torace.Matching.Matches;

public sealed record DeclineRequest(Guid? EnrolmentId, string? Reason);

public static class MatchesApi
{
    public static IEndpointRouteBuilder MapMatchesApi(this IEndpointRouteBuilder app)
    {
        var matches = app.MapGroup("/api/v1/programs/{programId:guid}/matches").WithTags("Matches");
        matches.MapGet("/", List).WithSummary("The program's published matches, with their status (published, declined, withdrawn when a participant left the program, completed).");
        matches.MapPost("/{matchId:guid}/decline", Decline)
            .WithSummary("A mentor or mentee declines the match: MatchDeclined, the pair is never proposed again, and whoever is left waiting is re-matched.");
        return app;
    }

    static async Task<Ok<IReadOnlyList<Match>>> List(Guid programId, IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(await session.Query<Match>().Where(m => m.ProgramId == programId).OrderBy(m => m.PublishedAt).ToListAsync(ct));

    static async Task<Results<Ok<Match>, ValidationProblem, NotFound>> Decline(
        Guid programId, Guid matchId, DeclineRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request.EnrolmentId is not null && request.EnrolmentId != Guid.Empty, "enrolmentId", "'enrolmentId' names the mentor or mentee who declines.")
            .Require(request.Reason is null || request.Reason.Length <= 1000, "reason", "'reason' must be at most 1000 characters.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var stream = await session.Events.FetchForWriting<Match>(matchId, ct);
        if (stream.Aggregate is not { } match || match.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        var declined = MatchDecisions.Decline(match, request.EnrolmentId!.Value, request.Reason?.Trim(), clock.GetUtcNow());
        stream.AppendOne(declined);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(match.Apply(declined));
    }
}

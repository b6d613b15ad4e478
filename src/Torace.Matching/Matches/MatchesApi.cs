using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Torace.Matching.Matches;

public static class MatchesApi
{
    public static IEndpointRouteBuilder MapMatchesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/programs/{programId:guid}/matches", List)
            .WithTags("Matches")
            .WithSummary("The program's published matches.");
        return app;
    }

    static async Task<Ok<IReadOnlyList<Match>>> List(Guid programId, IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(await session.Query<Match>().Where(m => m.ProgramId == programId).OrderBy(m => m.PublishedAt).ToListAsync(ct));
}

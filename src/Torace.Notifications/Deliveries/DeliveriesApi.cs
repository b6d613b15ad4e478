using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Torace.Notifications.Deliveries;

public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/programs/{programId:guid}/notifications", List)
            .WithTags("Notifications")
            .WithSummary("What was sent to whom for the program, with delivery state.");
        return app;
    }

    static async Task<Ok<IReadOnlyList<Delivery>>> List(Guid programId, IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(await session.Query<Delivery>().Where(d => d.ProgramId == programId).OrderBy(d => d.SentAt).ToListAsync(ct));
}

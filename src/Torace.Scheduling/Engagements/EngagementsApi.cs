using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;

namespace Torace.Scheduling.Engagements;

public sealed record SubmissionRequest(string? Response);

public static class EngagementsApi
{
    public static IEndpointRouteBuilder MapEngagementsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/programs/{programId:guid}/engagements", List)
            .WithTags("Engagements").WithSummary("The program's engagements with their sessions and touchpoints.");
        var engagements = app.MapGroup("/api/v1/engagements/{engagementId:guid}").WithTags("Engagements");
        engagements.MapPost("/sessions/{number:int}/complete", CompleteSession).WithSummary("Mark a session done.");
        engagements.MapPost("/touchpoints/{touchpointId:guid}/submission", Submit).WithSummary("Submit a reflection or touchpoint report.");
        return app;
    }

    static async Task<Ok<IReadOnlyList<Engagement>>> List(Guid programId, IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(await session.Query<Engagement>().Where(e => e.ProgramId == programId).ToListAsync(ct));

    static async Task<Results<Ok<Engagement>, NotFound>> CompleteSession(
        Guid engagementId, int number, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        await Decide(engagementId, session, e => EngagementDecisions.CompleteSession(e, number, clock.GetUtcNow()), ct);

    static async Task<Results<Ok<Engagement>, NotFound, ValidationProblem>> Submit(
        Guid engagementId, Guid touchpointId, SubmissionRequest? request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request?.Response is null || request.Response.Length <= 20_000, "response", "'response' must be at most 20000 characters.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        return await Decide(engagementId, session, e => EngagementDecisions.Submit(e, touchpointId, request?.Response, clock.GetUtcNow()), ct) switch
        {
            { Result: Ok<Engagement> ok } => ok,
            _ => TypedResults.NotFound(),
        };
    }

    static async Task<Results<Ok<Engagement>, NotFound>> Decide(
        Guid engagementId, IDocumentSession session, Func<Engagement, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Engagement>(engagementId, ct);
        if (stream.Aggregate is not { } engagement)
        {
            return TypedResults.NotFound();
        }
        var events = decide(engagement);
        stream.AppendMany(events);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(await session.LoadAsync<Engagement>(engagementId, ct) ?? engagement);
    }
}

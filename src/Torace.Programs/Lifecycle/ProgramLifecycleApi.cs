using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;

namespace Torace.Programs.Lifecycle;

public sealed record ProgramView(
    Guid Id,
    string Status,
    ProgramDefinition Definition,
    int Mentors,
    int Mentees)
{
    public static ProgramView From(ProgramState state) =>
        new(state.Id, state.Status.ToString().ToLowerInvariant(), state.Definition, state.ActiveMentors, state.ActiveMentees);
}

public static class ProgramLifecycleApi
{
    public static IEndpointRouteBuilder MapProgramLifecycleApi(this IEndpointRouteBuilder app)
    {
        var programs = app.MapGroup("/api/v1/programs").WithTags("Programs");
        programs.MapPost("/", Create).WithSummary("Create a program (draft).");
        programs.MapGet("/{programId:guid}", Get).WithSummary("A program with its status and enrolment counts.");
        programs.MapPost("/{programId:guid}/open", Open).WithSummary("Open enrolment.");
        return app;
    }

    static async Task<Results<Created<ProgramView>, ValidationProblem>> Create(
        CreateProgramRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var validation = new Validation();
        if (request.ToDefinition(validation) is not { } definition)
        {
            return validation.Problem();
        }

        var created = ProgramDecisions.Create(Guid.CreateVersion7(), definition, clock.GetUtcNow());
        session.Events.StartStream<ProgramState>(created.ProgramId, created);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/programs/{created.ProgramId}", ProgramView.From(ProgramState.Create(created)));
    }

    static async Task<Results<Ok<ProgramView>, NotFound>> Get(Guid programId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ProgramState>(programId, ct) is { } program
            ? TypedResults.Ok(ProgramView.From(program))
            : TypedResults.NotFound();

    static async Task<Results<Ok<ProgramView>, NotFound>> Open(Guid programId, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ProgramState>(programId, ct);
        if (stream.Aggregate is not { } program)
        {
            return TypedResults.NotFound();
        }

        var events = ProgramDecisions.Open(program, clock.GetUtcNow());
        stream.AppendMany(events);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(ProgramView.From(events.Aggregate(program, (state, e) => state.Apply((ProgramOpened)e))));
    }
}

using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Enrolment;

public sealed record EnrolmentCreated(Guid Id, Guid ProgramId, string Role);

public static class EnrolmentApi
{
    public static IEndpointRouteBuilder MapEnrolmentApi(this IEndpointRouteBuilder app)
    {
        var enrolments = app.MapGroup("/api/v1/programs/{programId:guid}/enrolments").WithTags("Enrolments");
        enrolments.MapPost("/", Enrol).WithSummary("Enrol one person as mentor or mentee.");
        enrolments.MapDelete("/{enrolmentId:guid}", Withdraw).WithSummary("Withdraw an enrolment.");
        return app;
    }

    static async Task<Results<Created<EnrolmentCreated>, ValidationProblem, NotFound>> Enrol(
        Guid programId, EnrolRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var validation = new Validation();
        if (request.ToEvent(programId, Guid.CreateVersion7(), clock.GetUtcNow(), validation) is not { } enrolled)
        {
            return validation.Problem();
        }

        var stream = await session.Events.FetchForWriting<ProgramState>(programId, ct);
        if (stream.Aggregate is not { } program)
        {
            return TypedResults.NotFound();
        }

        stream.AppendMany(EnrolmentDecisions.Enrol(program, enrolled));
        await session.SaveChangesAsync(ct);
        return TypedResults.Created(
            $"/api/v1/programs/{programId}/enrolments/{enrolled.EnrolmentId}",
            new EnrolmentCreated(enrolled.EnrolmentId, programId, enrolled.Role));
    }

    static async Task<Results<NoContent, NotFound>> Withdraw(
        Guid programId, Guid enrolmentId, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ProgramState>(programId, ct);
        if (stream.Aggregate is not { } program)
        {
            return TypedResults.NotFound();
        }

        stream.AppendMany(EnrolmentDecisions.Withdraw(program, enrolmentId, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}

using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Programs.Enrolment;
using Torace.Programs.Templates;

namespace Torace.Programs.Lifecycle;

public static class ProgramLifecycleApi
{
    static readonly string[] Statuses = [.. Enum.GetNames<ProgramStatus>().Select(s => s.ToLowerInvariant())];

    public static RouteGroupBuilder MapProgramLifecycleApi(this RouteGroupBuilder api)
    {
        var programs = api.MapGroup("/programs").WithTags("Programs");
        programs.MapPost("/", Create).WithName("CreateProgram")
            .WithSummary("Create a program (draft), from a template or from scratch.")
            .WithDescription("Answers 201 with the program, its Location and ETag. Name a `template` (see GET /program-templates) and every "
                + "field you leave out takes its default; without a guide link, the district's guide for the program's format is used. "
                + "Open it to start enrolment.")
            .WithExample(CreateProgramRequest.Example);
        programs.MapGet("/", List).WithName("ListPrograms").WithAllowedValues("status", "ProgramStatus", Statuses)
            .WithSummary("The district's programs, newest first, optionally only those with one status.");
        programs.MapGet("/{programId:guid}", Get).WithName("GetProgram")
            .WithSummary("A program with its status and how many mentors and mentees are enrolled; the ETag is its version.");
        programs.MapPut("/{programId:guid}", Edit).WithName("EditProgram")
            .WithSummary("Replace a draft's definition (ProgramDefinitionChanged); send If-Match with its ETag. Only a draft can be edited.")
            .WithExample(CreateProgramRequest.Example);
        programs.MapPost("/{programId:guid}/open", Open).WithName("OpenProgram")
            .WithSummary("Open enrolment (ProgramOpened). Opening an open program changes nothing.");
        programs.MapPost("/{programId:guid}/close", Close).WithName("CloseEnrolment")
            .WithSummary("Close enrolment (ProgramClosed): nobody else may enrol; matching and engagements go on. Closing twice changes nothing.");
        programs.MapPost("/{programId:guid}/cancel", Cancel).WithName("CancelProgram")
            .WithSummary("Cancel the program with a reason (ProgramCancelled): its matches and engagements end and its participants are emailed why.")
            .WithDescription("A completed program cannot be cancelled (409). Cancelling a cancelled program changes nothing.")
            .WithExample(CancelRequest.Example);
        return api;
    }

    static async Task<Results<Created<ProgramResponse>, ValidationProblem>> Create(
        CreateProgramRequest request, IDocumentSession session, TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var validation = new Validation();
        if (request.WithDefaults(await DistrictGuides.Of(session, ct), validation).ToDefinition(validation) is not { } definition)
        {
            return validation.Problem();
        }

        var created = ProgramDecisions.Create(Guid.CreateVersion7(), definition, clock.GetUtcNow());
        session.Events.StartStream<ProgramState>(created.ProgramId, created);
        await session.SaveChangesAsync(ct);
        response.SetETag(1);
        return TypedResults.Created($"{PublicApi.Root}/programs/{created.ProgramId}", ProgramResponse.From(ProgramState.Create(created), 0, 0));
    }

    static async Task<Results<Ok<Page<ProgramResponse>>, ValidationProblem>> List(
        string? status, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation().Require(status is null || Statuses.Contains(status), "status", $"'status' must be one of: {string.Join(", ", Statuses)}.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }

        IQueryable<ProgramState> query = session.Query<ProgramState>().Stats(out var stats);
        if (status is not null)
        {
            var wanted = Enum.Parse<ProgramStatus>(status, ignoreCase: true);
            query = query.Where(p => p.Status == wanted);
        }
        var programs = await query.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        var counts = await EnrolmentCounts.Of(session, [.. programs.Select(p => p.Id)], ct);
        return TypedResults.Ok(page.Answer(
            [.. programs.Select(p => ProgramResponse.From(p, counts[p.Id].Mentors, counts[p.Id].Mentees))], stats.TotalResults, request));
    }

    static async Task<Results<Ok<ProgramResponse>, NotFound>> Get(Guid programId, IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        if (await session.LoadAsync<ProgramState>(programId, ct) is not { } program)
        {
            return TypedResults.NotFound();
        }
        var counts = await EnrolmentCounts.Of(session, [programId], ct);
        response.SetETag(await Versions.Of(session, programId, ct));
        return TypedResults.Ok(ProgramResponse.From(program, counts[programId].Mentors, counts[programId].Mentees));
    }

    static async Task<Results<Ok<ProgramResponse>, ValidationProblem, NotFound>> Edit(
        Guid programId, CreateProgramRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation();
        if (request.WithDefaults(await DistrictGuides.Of(session, ct), validation).ToDefinition(validation) is not { } definition)
        {
            return validation.Problem();
        }
        return await Answer(session, programId, await session.Change<ProgramState>(programId, http,
            program => ProgramDecisions.Edit(program, definition, clock.GetUtcNow()), ct), ct);
    }

    static async Task<Results<Ok<ProgramResponse>, ValidationProblem, NotFound>> Close(
        Guid programId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await Answer(session, programId, await session.Change<ProgramState>(programId, http,
            program => ProgramDecisions.CloseEnrolment(program, clock.GetUtcNow()), ct), ct);

    static async Task<Results<Ok<ProgramResponse>, ValidationProblem, NotFound>> Cancel(
        Guid programId, CancelRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation().RequireText(request.Reason, "reason", 1000);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        return await Answer(session, programId, await session.Change<ProgramState>(programId, http,
            program => ProgramDecisions.Cancel(program, request.Reason!.Trim(), clock.GetUtcNow()), ct), ct);
    }

    static async Task<Results<Ok<ProgramResponse>, ValidationProblem, NotFound>> Answer(
        IQuerySession session, Guid programId, Changed<ProgramState>? changed, CancellationToken ct)
    {
        if (changed is null)
        {
            return TypedResults.NotFound();
        }
        var counts = await EnrolmentCounts.Of(session, [programId], ct);
        return TypedResults.Ok(ProgramResponse.From(changed.State, counts[programId].Mentors, counts[programId].Mentees));
    }

    static async Task<Results<Ok<ProgramResponse>, NotFound>> Open(
        Guid programId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await session.Change<ProgramState>(programId, http, program => ProgramDecisions.Open(program, clock.GetUtcNow()), ct) is not { } opened)
        {
            return TypedResults.NotFound();
        }
        var counts = await EnrolmentCounts.Of(session, [programId], ct);
        return TypedResults.Ok(ProgramResponse.From(opened.State, counts[programId].Mentors, counts[programId].Mentees));
    }
}

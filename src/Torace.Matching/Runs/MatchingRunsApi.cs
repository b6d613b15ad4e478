using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Matching.Candidates;
using Torace.Matching.Matches;
using Torace.Matching.Problems;
using Torace.Platform.Api;

namespace Torace.Matching.Runs;

public sealed record RunAccepted(Guid Id, string Status);

public sealed record StartRunRequest(Guid? KeepPinnedFrom);

public sealed record SwapRequest(Guid? MenteeA, Guid? MenteeB);

public sealed record AddProposalRequest(Guid? MentorId, IReadOnlyList<Guid>? MenteeIds, int? Round);

public static class MatchingRunsApi
{
    public static IEndpointRouteBuilder MapMatchingRunsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/v1/programs/{programId:guid}/matching-runs").WithTags("Matching runs");
        runs.MapPost("/", Start).WithSummary("Start matching the program's waiting mentees with its mentors' free places (202; poll the run). "
            + "With keepPinnedFrom, the pinned proposals of that earlier run are kept and only the rest is matched again.");
        runs.MapGet("/", List).WithSummary("The program's runs, newest first (coordinator runs and automatic placements).");
        runs.MapGet("/{runId:guid}", Get).WithSummary("A run's status, proposals (with score and reasons) and unmatched mentees (with reasons). "
            + "With offset and limit (1–5000), one page of each list, and proposalCount and unmatchedCount for the whole run.");
        runs.MapPost("/{runId:guid}/proposals/{proposalId:guid}/pin", (Guid programId, Guid runId, Guid proposalId, IDocumentSession s, CancellationToken ct) =>
                Review(programId, runId, s, ct, run => MatchingRunDecisions.Pin(run, proposalId, pinned: true)))
            .WithSummary("Pin a proposal: it cannot be swapped or removed until unpinned.");
        runs.MapDelete("/{runId:guid}/proposals/{proposalId:guid}/pin", (Guid programId, Guid runId, Guid proposalId, IDocumentSession s, CancellationToken ct) =>
                Review(programId, runId, s, ct, run => MatchingRunDecisions.Pin(run, proposalId, pinned: false)))
            .WithSummary("Unpin a proposal.");
        runs.MapDelete("/{runId:guid}/proposals/{proposalId:guid}", (Guid programId, Guid runId, Guid proposalId, IDocumentSession s, TimeProvider clock, CancellationToken ct) =>
                Review(programId, runId, s, ct, run => MatchingRunDecisions.Remove(run, proposalId, clock.GetUtcNow())))
            .WithSummary("Remove a proposal; its mentees wait, with reason removed-by-coordinator.");
        runs.MapPost("/{runId:guid}/swaps", Swap).WithSummary("Two mentees trade mentors; rejected with the reason if a new pair breaks a hard rule.");
        runs.MapPost("/{runId:guid}/proposals", Add).WithSummary("Add a pair (or group) by hand; rejected with the reason if it breaks a hard rule or a capacity.");
        runs.MapPost("/{runId:guid}/publish", Publish).WithSummary("Publish the reviewed proposals; each becomes a match and a MatchProposed event.");
        return app;
    }

    static async Task<Results<Accepted<RunAccepted>, ValidationProblem, NotFound>> Start(
        Guid programId, StartRunRequest? request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<MatchingProgram>(programId, ct) is null)
        {
            return TypedResults.NotFound();
        }
        if (request?.KeepPinnedFrom is { } earlierId)
        {
            var earlier = await session.LoadAsync<MatchingRun>(earlierId, ct);
            var validation = new Validation()
                .Require(earlier is not null && earlier.ProgramId == programId, "keepPinnedFrom", "'keepPinnedFrom' must name a run of this program.")
                .Require(earlier is null || earlier.Status == RunStatus.Completed, "keepPinnedFrom", "'keepPinnedFrom' must name a completed, unpublished run.");
            if (!validation.IsValid)
            {
                return validation.Problem();
            }
        }
        var started = new MatchingRunStarted(Guid.CreateVersion7(), programId, RunTriggers.Coordinator, Queued: true, clock.GetUtcNow(), request?.KeepPinnedFrom);
        session.Events.StartStream<MatchingRun>(started.RunId, started);
        await session.SaveChangesAsync(ct);
        return TypedResults.Accepted($"/api/v1/programs/{programId}/matching-runs/{started.RunId}", new RunAccepted(started.RunId, RunStatus.Running));
    }

    static async Task<Ok<IReadOnlyList<MatchingRun>>> List(Guid programId, IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(await session.Query<MatchingRun>().Where(r => r.ProgramId == programId).OrderByDescending(r => r.StartedAt).ToListAsync(ct));

    public const int MaxPage = 5000;

    static async Task<Results<Ok<MatchingRun>, ValidationProblem, NotFound>> Get(
        Guid programId, Guid runId, int? offset, int? limit, IQuerySession session, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(offset is null or >= 0, "offset", "'offset' must be 0 or more.")
            .Require(limit is null or >= 1 and <= MaxPage, "limit", $"'limit' must be between 1 and {MaxPage}.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<MatchingRun>(runId, ct) is not { } run || run.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(offset is null && limit is null ? run : run.Page(offset ?? 0, limit ?? MaxPage));
    }

    static async Task<Results<Ok<MatchingRun>, NotFound>> Review(
        Guid programId, Guid runId, IDocumentSession session, CancellationToken ct, Func<MatchingRun, object> decide)
    {
        var stream = await session.Events.FetchForWriting<MatchingRun>(runId, ct);
        if (stream.Aggregate is not { } run || run.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        var decided = decide(run);
        stream.AppendOne(decided);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(run.After(decided));
    }

    static async Task<Results<Ok<MatchingRun>, ValidationProblem, NotFound>> Swap(
        Guid programId, Guid runId, SwapRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request.MenteeA is { } a && a != Guid.Empty, "menteeA", "'menteeA' names a mentee's enrolment id.")
            .Require(request.MenteeB is { } b && b != Guid.Empty, "menteeB", "'menteeB' names a mentee's enrolment id.")
            .Require(request.MenteeA != request.MenteeB, "menteeB", "'menteeB' must differ from 'menteeA'.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        return await WithContext(programId, runId, session, clock, ct, (run, context) =>
            MatchingRunDecisions.Swap(run, context, request.MenteeA!.Value, request.MenteeB!.Value, clock.GetUtcNow()));
    }

    static async Task<Results<Ok<MatchingRun>, ValidationProblem, NotFound>> Add(
        Guid programId, Guid runId, AddProposalRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request.MentorId is { } m && m != Guid.Empty, "mentorId", "'mentorId' names a mentor's enrolment id.")
            .Require(request.MenteeIds is { Count: > 0 } ids && ids.All(id => id != Guid.Empty), "menteeIds", "'menteeIds' names one or more mentees' enrolment ids.")
            .Require(request.MenteeIds is null || request.MenteeIds.Distinct().Count() == request.MenteeIds.Count, "menteeIds", "'menteeIds' names each mentee once.")
            .Require(request.Round is null or >= 1 and <= 10, "round", "'round' must be between 1 and 10.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        return await WithContext(programId, runId, session, clock, ct, (run, context) =>
            MatchingRunDecisions.Add(run, context, request.MentorId!.Value, request.MenteeIds!, request.Round ?? 1, Guid.CreateVersion7, clock.GetUtcNow()));
    }

    static async Task<Results<Ok<MatchingRun>, ValidationProblem, NotFound>> Publish(
        Guid programId, Guid runId, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // The ledger is read before the program's state, so a concurrent publish makes this one a 409.
        var ledger = await session.Events.FetchForWriting<ProgramLedger>(programId, ct);
        return await WithContext(programId, runId, session, clock, ct, (run, context) =>
        {
            var published = MatchingRunDecisions.Publish(run, context, Guid.CreateVersion7, clock.GetUtcNow());
            MatchPublishing.Publish(session, ledger, context, run, published);
            return published;
        });
    }

    /// <summary>Loads the run and the program's problem as it stands, decides, appends, commits.</summary>
    static async Task<Results<Ok<MatchingRun>, ValidationProblem, NotFound>> WithContext(
        Guid programId, Guid runId, IDocumentSession session, TimeProvider clock, CancellationToken ct, Func<MatchingRun, ProblemContext, object> decide)
    {
        var stream = await session.Events.FetchForWriting<MatchingRun>(runId, ct);
        if (stream.Aggregate is not { } run || run.ProgramId != programId
            || await session.LoadAsync<MatchingProgram>(programId, ct) is not { } program)
        {
            return TypedResults.NotFound();
        }
        var context = await MatchingProblems.Load(session, program, clock.GetUtcNow(), ct);
        var decided = decide(run, context);
        stream.AppendOne(decided);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(run.After(decided));
    }
}

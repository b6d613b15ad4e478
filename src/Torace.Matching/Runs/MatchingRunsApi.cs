using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Matching.Candidates;
using Torace.Matching.Matches;
using Torace.Matching.Problems;
using Torace.Platform.Api;

namespace Torace.Matching.Runs;

public sealed record SwapRequest(Guid? MenteeA, Guid? MenteeB);

public sealed record AddProposalRequest(Guid? MentorId, IReadOnlyList<Guid>? MenteeIds, int? Round);

/// <summary>
/// Reading and reviewing matching runs. Starting one belongs to Programs (the program's stream says which enrolments it
/// covers), so a run asked for right after an enrolment includes it.
/// </summary>
public static class MatchingRunsApi
{
    /// <summary>A run's proposals come a page at a time, by default as many as the largest page.</summary>
    const int RunPageDefault = PageRequest.MaxLimit;

    public static RouteGroupBuilder MapMatchingRunsApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/programs/{programId:guid}/matching-runs").WithTags("Matching runs");
        runs.MapGet("/", List).WithName("ListMatchingRuns")
            .WithSummary("The program's runs, newest first (coordinator runs and automatic placements), as summaries.");
        runs.MapGet("/{runId:guid}", Get).WithName("GetMatchingRun")
            .WithSummary("A run's status, a page of its proposals (score, reasons, factors) and of its unmatched mentees (reasons), with both totals; the ETag is its version.")
            .WithDescription("A run that was asked for and that Matching has not taken up yet (moments after the start, longer while a part of "
                + "the system is down) answers 202 with Retry-After and its status running, as the start did: poll again, it is coming.")
            .Produces<RunAccepted>(StatusCodes.Status202Accepted);
        runs.MapPost("/{runId:guid}/proposals/{proposalId:guid}/pin", (Guid programId, Guid runId, Guid proposalId, IDocumentSession s, HttpContext http, CancellationToken ct) =>
                Review(programId, runId, s, http, ct, (run, _) => MatchingRunDecisions.Pin(run, proposalId, pinned: true)))
            .WithName("PinProposal").WithSummary("Pin a proposal: it cannot be swapped or removed until unpinned, and a new run can keep it.");
        runs.MapDelete("/{runId:guid}/proposals/{proposalId:guid}/pin", (Guid programId, Guid runId, Guid proposalId, IDocumentSession s, HttpContext http, CancellationToken ct) =>
                Review(programId, runId, s, http, ct, (run, _) => MatchingRunDecisions.Pin(run, proposalId, pinned: false)))
            .WithName("UnpinProposal").WithSummary("Unpin a proposal.");
        runs.MapDelete("/{runId:guid}/proposals/{proposalId:guid}", (Guid programId, Guid runId, Guid proposalId, IDocumentSession s, TimeProvider clock, HttpContext http, CancellationToken ct) =>
                Review(programId, runId, s, http, ct, (run, _) => MatchingRunDecisions.Remove(run, proposalId, clock.GetUtcNow())))
            .WithName("RemoveProposal").WithSummary("Remove a proposal; its mentees wait, with reason removed-by-coordinator.");
        runs.MapPost("/{runId:guid}/swaps", Swap).WithName("SwapMentees")
            .WithSummary("Two mentees trade mentors; refused with 409 and the broken rule in words if a new pair breaks one.")
            .WithExample(new SwapRequest(Guid.Parse("0195c3e2-6a01-7000-8000-000000000001"), Guid.Parse("0195c3e2-6a01-7000-8000-000000000002")));
        runs.MapPost("/{runId:guid}/proposals", Add).WithName("AddProposal")
            .WithSummary("Add a pair (or group) by hand; refused with 409 and the reason if it breaks a hard rule or a capacity.")
            .WithExample(new AddProposalRequest(Guid.Parse("0195c3e2-6a01-7000-8000-000000000003"), [Guid.Parse("0195c3e2-6a01-7000-8000-000000000001")], 1));
        runs.MapPost("/{runId:guid}/publish", Publish).WithName("PublishMatchingRun")
            .WithSummary("Publish the reviewed proposals (202): each becomes a match and a MatchProposed event; engagements and emails follow.")
            .WithDescription("Every rule is checked again against the program as it is now. The Location is the program's matches; "
                + "the engagements appear under GET /programs/{programId}/engagements and the emails under GET /programs/{programId}/notifications as they are made.");
        return api;
    }

    static async Task<Results<Ok<Page<RunSummary>>, ValidationProblem>> List(
        Guid programId, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation();
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        var runs = await session.Query<MatchingRun>().Stats(out var stats).Where(r => r.ProgramId == programId)
            .OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. runs.Select(RunSummary.From)], stats.TotalResults, request));
    }

    static async Task<Results<Ok<RunResponse>, ValidationProblem, NotFound>> Get(
        Guid programId, Guid runId, int? limit, string? cursor, IQuerySession session, HttpRequest request, HttpResponse response, CancellationToken ct)
    {
        var validation = new Validation();
        if (PageRequest.From(limit, cursor, validation, RunPageDefault) is not { } page)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<MatchingRun>(runId, ct) is not { } run || run.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        response.SetETag(await Versions.Of(session, runId, ct));
        var next = page.NextOf(page.Limit, Math.Max(run.Proposals.Count, run.Unmatched.Count), request);
        return TypedResults.Ok(RunResponse.From(run, page.Offset, page.Limit, next));
    }

    static async Task<Results<Ok<RunResponse>, ValidationProblem, NotFound>> Swap(
        Guid programId, Guid runId, SwapRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request.MenteeA is { } a && a != Guid.Empty, "menteeA", "'menteeA' names a mentee's enrolment id.")
            .Require(request.MenteeB is { } b && b != Guid.Empty, "menteeB", "'menteeB' names a mentee's enrolment id.")
            .Require(request.MenteeA != request.MenteeB, "menteeB", "'menteeB' must differ from 'menteeA'.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        return await Review(programId, runId, session, http, ct, (run, context) =>
            MatchingRunDecisions.Swap(run, context!, request.MenteeA!.Value, request.MenteeB!.Value, clock.GetUtcNow()), withContext: true);
    }

    static async Task<Results<Ok<RunResponse>, ValidationProblem, NotFound>> Add(
        Guid programId, Guid runId, AddProposalRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
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
        return await Review(programId, runId, session, http, ct, (run, context) =>
            MatchingRunDecisions.Add(run, context!, request.MentorId!.Value, request.MenteeIds!, request.Round ?? 1, Guid.CreateVersion7, clock.GetUtcNow()), withContext: true);
    }

    static async Task<Results<Accepted<RunResponse>, NotFound>> Publish(
        Guid programId, Guid runId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        // The ledger is read before the program's state, so a concurrent publish makes this one a 409.
        var ledger = await session.Events.FetchForWriting<ProgramLedger>(programId, ct);
        var context = await ContextOf(programId, runId, session, clock, ct);
        if (context is null)
        {
            return TypedResults.NotFound();
        }
        var changed = await session.Change<MatchingRun>(runId, http, run =>
        {
            var published = MatchingRunDecisions.Publish(run, context, Guid.CreateVersion7, clock.GetUtcNow());
            MatchPublishing.Publish(session, ledger, context, run, published);
            return [published];
        }, ct);
        return changed is null
            ? TypedResults.NotFound()
            : TypedResults.Accepted($"{PublicApi.Root}/programs/{programId}/matches?runId={runId}", RunResponse.From(changed.State));
    }

    /// <summary>A review step: the run (checked against If-Match), the program's problem as it stands when asked for, decide, append, commit.</summary>
    static async Task<Results<Ok<RunResponse>, ValidationProblem, NotFound>> Review(
        Guid programId, Guid runId, IDocumentSession session, HttpContext http, CancellationToken ct,
        Func<MatchingRun, ProblemContext?, object> decide, bool withContext = false)
    {
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        ProblemContext? context = null;
        if (withContext && (context = await ContextOf(programId, runId, session, clock, ct)) is null
            || !withContext && (await session.LoadAsync<MatchingRun>(runId, ct))?.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        var changed = await session.Change<MatchingRun>(runId, http, run => [decide(run, context)], ct);
        return changed is null ? TypedResults.NotFound() : TypedResults.Ok(RunResponse.From(changed.State));
    }

    /// <summary>The program's problem for a run of that program, or null when either is unknown.</summary>
    static async Task<ProblemContext?> ContextOf(Guid programId, Guid runId, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        (await session.LoadAsync<MatchingRun>(runId, ct))?.ProgramId == programId
        && await session.LoadAsync<MatchingProgram>(programId, ct) is { } program
            ? await MatchingProblems.Load(session, program, clock.GetUtcNow(), ct)
            : null;
}

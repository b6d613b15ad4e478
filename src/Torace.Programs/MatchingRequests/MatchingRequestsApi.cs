using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.MatchingRequests;

public sealed record StartMatchingRequest(Guid? KeepPinnedFrom);

/// <summary>A run was accepted; poll its Location until <c>status</c> is no longer <c>running</c>.</summary>
/// <remarks>The same record as <c>Torace.Matching.Runs.RunAccepted</c>: the run's answer until Matching takes it up.</remarks>
public sealed record RunAccepted(Guid Id, [property: System.ComponentModel.DataAnnotations.AllowedValues("running")] string Status);

public static class MatchingRequestsApi
{
    /// <summary>
    /// How long the answer waits for Matching to hold the run, so its Location usually answers 200 at once. Past it the
    /// Location answers 202 with Retry-After until Matching holds the run (the gateway asks <see cref="Request"/>).
    /// </summary>
    static readonly TimeSpan AwaitQueued = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapMatchingRequestsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/programs/{programId:guid}/matching-runs", Start)
            .WithTags("Matching runs").WithName("StartMatchingRun")
            .WithSummary("Start matching the program (202; poll the Location until its status is no longer running).")
            .WithDescription("The run covers exactly the enrolments active when it is asked for, including one whose 201 came back a moment ago. "
                + "With keepPinnedFrom, the pinned proposals of that earlier, unpublished run are kept and only the rest is matched again.")
            .WithExample(new StartMatchingRequest(null));
        // The gateway's question when Matching does not know a run yet; the public path of a run is Matching's.
        api.MapGet("/programs/{programId:guid}/matching-runs/{runId:guid}/request", Request).ExcludeFromDescription();
        return api;
    }

    static async Task<Results<Accepted<RunAccepted>, ValidationProblem, NotFound>> Start(
        Guid programId, StartMatchingRequest? request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (request?.KeepPinnedFrom is { } earlier && (await session.LoadAsync<QueuedRun>(earlier, ct))?.ProgramId != programId)
        {
            return new Validation().Require(false, "keepPinnedFrom", "'keepPinnedFrom' must name a run of this program.").Problem();
        }

        var covered = await session.Query<Enrolment.Enrolment>()
            .Where(e => e.Profile.ProgramId == programId && e.Active)
            .Select(e => e.Id)
            .ToListAsync(ct);
        // Whole documents, not a projected column: PostgreSQL would round the time to microseconds, and Matching compares it exactly.
        var profilesAt = (await session.Query<Enrolment.Enrolment>()
                .Where(e => e.Profile.ProgramId == programId && e.Active && e.ProfileChangedAt != null)
                .ToListAsync(ct))
            .ToDictionary(e => e.Id, e => e.ProfileChangedAt!.Value);
        var runId = Guid.CreateVersion7();
        if (await session.Change<ProgramState>(programId, http,
                program => ProgramDecisions.RequestMatching(program, runId, [.. covered], request?.KeepPinnedFrom, clock.GetUtcNow(), profilesAt), ct) is null)
        {
            return TypedResults.NotFound();
        }

        // Matching creates the run when the request reaches it (tens of milliseconds); answering after that means the
        // Location answers 200 at once. Past the bound (the broker down, Matching restarting) it answers 202 until then.
        var deadline = clock.GetUtcNow() + AwaitQueued;
        while (await session.LoadAsync<QueuedRun>(runId, ct) is null && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(25, ct);
        }
        return TypedResults.Accepted($"{PublicApi.Root}/programs/{programId}/matching-runs/{runId}", new RunAccepted(runId, "running"));
    }

    /// <summary>A run this service asked for, as the start answered it (200), or 404 if it never asked for it.</summary>
    static async Task<Results<Ok<RunAccepted>, NotFound>> Request(Guid programId, Guid runId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<RequestedRun>(runId, ct) is { } requested && requested.ProgramId == programId
            ? TypedResults.Ok(new RunAccepted(runId, "running"))
            : TypedResults.NotFound();
}

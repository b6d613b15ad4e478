using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.MatchingRequests;

public sealed record StartMatchingRequest(Guid? KeepPinnedFrom);

/// <summary>A run was accepted; poll its Location until <c>status</c> is no longer <c>running</c>.</summary>
public sealed record RunAccepted(Guid Id, [property: System.ComponentModel.DataAnnotations.AllowedValues("running")] string Status);

public static class MatchingRequestsApi
{
    /// <summary>How long the answer waits for Matching to hold the run, so its Location can be read at once.</summary>
    static readonly TimeSpan AwaitQueued = TimeSpan.FromSeconds(20);

    public static RouteGroupBuilder MapMatchingRequestsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/programs/{programId:guid}/matching-runs", Start)
            .WithTags("Matching runs").WithName("StartMatchingRun")
            .WithSummary("Start matching the program (202; poll the Location until its status is no longer running).")
            .WithDescription("The run covers exactly the enrolments active when it is asked for, including one whose 201 came back a moment ago. "
                + "With keepPinnedFrom, the pinned proposals of that earlier, unpublished run are kept and only the rest is matched again.")
            .WithExample(new StartMatchingRequest(null));
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
        // Location can be read at once. Past the bound the run still comes, a moment later.
        var deadline = clock.GetUtcNow() + AwaitQueued;
        while (await session.LoadAsync<QueuedRun>(runId, ct) is null && clock.GetUtcNow() < deadline)
        {
            await Task.Delay(25, ct);
        }
        return TypedResults.Accepted($"{PublicApi.Root}/programs/{programId}/matching-runs/{runId}", new RunAccepted(runId, "running"));
    }
}

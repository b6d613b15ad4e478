using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Matching.Candidates;
using Torace.Matching.Engine;
using Torace.Matching.Matches;

namespace Torace.Matching.Runs;

public sealed record RunAccepted(Guid Id, string Status);

public static class MatchingRunsApi
{
    public static IEndpointRouteBuilder MapMatchingRunsApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/v1/programs/{programId:guid}/matching-runs").WithTags("Matching runs");
        runs.MapPost("/", Start).WithSummary("Match the program's enrolled mentees with its mentors.");
        runs.MapGet("/{runId:guid}", Get).WithSummary("A run's status, proposals (with reasons) and unmatched mentees (with reasons).");
        runs.MapPost("/{runId:guid}/publish", Publish).WithSummary("Publish the proposals as matches; each becomes MatchProposed.");
        return app;
    }

    static async Task<Results<Accepted<RunAccepted>, NotFound>> Start(Guid programId, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<MatchingProgram>(programId, ct) is not { } program)
        {
            return TypedResults.NotFound();
        }

        var candidates = await session.Query<Candidate>()
            .Where(c => c.ProgramId == programId && c.Active)
            .OrderBy(c => c.EnrolledAt)
            .ToListAsync(ct);
        Person ToPerson(Candidate c) => new(c.Id, c.ExternalId, c.Site, c.Topics, c.Modality, c.Capacity);
        var result = MatchingEngine.Match(new MatchingProblem(
            new PoolRules(program.PoolSites, program.GroupSize),
            new MatchingWeights(),
            [.. candidates.Where(c => c.Role == "mentor").Select(ToPerson)],
            [.. candidates.Where(c => c.Role == "mentee").Select(ToPerson)]));

        var runId = Guid.CreateVersion7();
        session.Events.StartStream<MatchingRun>(runId,
            new MatchingRunStarted(runId, programId, "greedy", clock.GetUtcNow()),
            new MatchingRunCompleted(runId, result.Proposals, result.Unmatched, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.Accepted($"/api/v1/programs/{programId}/matching-runs/{runId}", new RunAccepted(runId, RunStatus.Completed));
    }

    static async Task<Results<Ok<MatchingRun>, NotFound>> Get(Guid programId, Guid runId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<MatchingRun>(runId, ct) is { } run && run.ProgramId == programId
            ? TypedResults.Ok(run)
            : TypedResults.NotFound();

    static async Task<Results<Ok<MatchingRun>, NotFound>> Publish(Guid programId, Guid runId, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<MatchingRun>(runId, ct);
        if (stream.Aggregate is not { } run || run.ProgramId != programId
            || await session.LoadAsync<MatchingProgram>(programId, ct) is not { } program)
        {
            return TypedResults.NotFound();
        }

        var published = MatchingRunDecisions.Publish(run, Guid.CreateVersion7, clock.GetUtcNow());
        var people = (await session.LoadManyAsync<Candidate>(ct, run.Proposals.SelectMany(p => p.MenteeIds.Append(p.MentorId)).Distinct()))
            .ToDictionary(c => c.Id);
        foreach (var (proposal, matchId) in run.Proposals.Zip(published.MatchIds))
        {
            session.Events.StartStream<Match>(matchId, new MatchPublished(
                matchId, runId, program, people[proposal.MentorId].AsParticipant(),
                [.. proposal.MenteeIds.Select(id => people[id].AsParticipant())], proposal.Score, proposal.Reasons, published.PublishedAt));
        }
        stream.AppendOne(published);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(run.Apply(published));
    }
}

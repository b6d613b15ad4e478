using Marten;
using Torace.Contracts;
using Torace.Matching.Candidates;
using Torace.Matching.Engine;
using Torace.Matching.Matches;
using Torace.Matching.Problems;
using Torace.Platform.Messaging;

namespace Torace.Matching.Runs;

/// <summary>Matching's note to itself that a queued run waits to be solved (published through the outbox).</summary>
public sealed record MatchingRunRequested(string TenantId, Guid ProgramId, Guid RunId) : IDistrictEvent;

/// <summary>
/// The run worker: solves a queued run against the program as it stands, records proposals (or the failure), and
/// publishes at once when the program's review is automatic.
/// </summary>
public sealed class SolveMatchingRun(IDocumentStore store, TimeProvider clock, ILogger<SolveMatchingRun> log)
    : IdempotentConsumer<MatchingRunRequested>(store)
{
    protected override async Task Handle(MatchingRunRequested message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        // The ledger is read first, so a publish that lands meanwhile makes this one conflict and retry.
        var ledger = await session.Events.FetchForWriting<ProgramLedger>(message.ProgramId, ct);
        var stream = await session.Events.FetchForWriting<MatchingRun>(message.RunId, ct);
        if (stream.Aggregate is not { Status: RunStatus.Running } run
            || await session.LoadAsync<MatchingProgram>(message.ProgramId, ct) is not { } program)
        {
            return;
        }

        var context = await MatchingProblems.Load(session, program, clock.GetUtcNow(), ct);
        IReadOnlyList<RunProposal> kept = [];
        if (run.KeepPinnedFrom is { } earlierId && await session.LoadAsync<MatchingRun>(earlierId, ct) is { } earlier)
        {
            (kept, var rest) = MatchingRunDecisions.KeepPinned(earlier, context);
            context = rest;
        }
        MatchingResult result;
        double seconds;
        try
        {
            (result, seconds) = RunSolver.Solve(context, run.Trigger);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The engine is pure: retrying the same problem fails the same way, so the run says so instead of
            // staying "running" while the message retries into the error queue.
            log.LogError(ex, "Matching run {RunId} failed", run.Id);
            stream.AppendOne(new MatchingRunFailed(run.Id, ex.Message, clock.GetUtcNow()));
            return;
        }

        var completed = MatchingRunDecisions.Complete(run, result, Guid.CreateVersion7, seconds, clock.GetUtcNow(), kept);
        stream.AppendOne(completed);
        log.LogInformation("Matching run {RunId}: {Matched} matched, {Unmatched} waiting, in {Seconds:0.00} s",
            run.Id, result.MatchedMentees, result.Unmatched.Count, seconds);
        if (program.Matching.Review == "auto" && completed.Proposals.Count > 0)
        {
            run = run.Apply(completed);
            var published = MatchingRunDecisions.Publish(run, await MatchingProblems.Load(session, program, clock.GetUtcNow(), ct), Guid.CreateVersion7, clock.GetUtcNow());
            stream.AppendOne(published);
            MatchPublishing.Publish(session, ledger, context, run, published);
        }
    }
}

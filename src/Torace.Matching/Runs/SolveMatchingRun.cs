using Marten;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Programs;
using Torace.Matching.Candidates;
using Torace.Matching.Engine;
using Torace.Matching.Matches;
using Torace.Matching.Problems;
using Torace.Platform.Messaging;

namespace Torace.Matching.Runs;

/// <summary>
/// Programs asked for a run: Matching holds it from now on (readable at once, status running) and queues it for the run
/// worker; the outbox tells Programs and the worker with one <see cref="MatchingRunQueued"/>.
/// </summary>
public sealed class QueueMatchingRun(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<MatchingRequested>(store)
{
    protected override async Task Handle(MatchingRequested message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        if (await session.Events.FetchStreamStateAsync(message.RunId, ct) is not null)
        {
            return;
        }
        session.Events.StartStream<MatchingRun>(message.RunId, new MatchingRunStarted(
            message.RunId, message.ProgramId, RunTriggers.Coordinator, Queued: true, clock.GetUtcNow(), message.KeepPinnedFrom,
            message.EnrolmentIds, message.RequestedAt, message.ProfilesAt));
    }
}

/// <summary>
/// The run worker: waits (bounded) until Matching holds the program and every enrolment the run covers, solves the run
/// against the program as it stands, records proposals (or the failure), and publishes at once when review is automatic.
/// </summary>
public sealed class SolveMatchingRun(IDocumentStore store, TimeProvider clock, ILogger<SolveMatchingRun> log)
    : IdempotentConsumer<MatchingRunQueued>(store)
{
    /// <summary>How long a run waits for enrolments still crossing the broker before it fails saying which.</summary>
    public static readonly TimeSpan WaitForEnrolments = TimeSpan.FromSeconds(60);

    readonly IDocumentStore documents = store;

    protected override async Task Handle(MatchingRunQueued message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var missing = await AwaitEverything(message, ct);

        // The ledger is read first, so a publish that lands meanwhile makes this one conflict and retry.
        var ledger = await session.Events.FetchForWriting<ProgramLedger>(message.ProgramId, ct);
        var stream = await session.Events.FetchForWriting<MatchingRun>(message.RunId, ct);
        if (stream.Aggregate is not { Status: RunStatus.Running } run)
        {
            return;
        }
        if (missing.Count > 0 || await session.LoadAsync<MatchingProgram>(message.ProgramId, ct) is not { } program)
        {
            stream.AppendOne(new MatchingRunFailed(run.Id, missing.Count > 0
                ? $"Matching had not received {missing.Count} of the {message.EnrolmentIds.Count} enrolments this run covers within {WaitForEnrolments.TotalSeconds:0} s "
                    + $"(for example {string.Join(", ", missing.Take(3))}); start a new run."
                : $"Matching had not heard that the program opened within {WaitForEnrolments.TotalSeconds:0} s; start a new run.", clock.GetUtcNow()));
            return;
        }

        var covered = message.EnrolmentIds.ToHashSet();
        var context = await MatchingProblems.Load(session, program, clock.GetUtcNow(), ct, covered: covered);
        IReadOnlyList<RunProposal> kept = [];
        if (run.KeepPinnedFrom is { } earlierId)
        {
            if (await session.LoadAsync<MatchingRun>(earlierId, ct) is not { Status: RunStatus.Completed } earlier || earlier.ProgramId != run.ProgramId)
            {
                stream.AppendOne(new MatchingRunFailed(run.Id, "'keepPinnedFrom' must name a completed, unpublished run of this program.", clock.GetUtcNow()));
                return;
            }
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

    /// <summary>
    /// Enrolments and the program's opening travel on other queues and may still be on their way: wait until Matching holds
    /// the program and each enrolment the run covers (active or withdrawn since), or the bound passes. Answers who is missing.
    /// </summary>
    async Task<IReadOnlyList<Guid>> AwaitEverything(MatchingRunQueued message, CancellationToken ct)
    {
        // From when Matching took the request up, not from when it was asked for: a run asked for while the broker was down
        // reaches Matching minutes later, with the enrolments it covers just ahead of it on their own queue.
        var deadline = (message.QueuedAt > message.RequestedAt ? message.QueuedAt : message.RequestedAt) + WaitForEnrolments;
        while (true)
        {
            await using var query = documents.QuerySession(message.TenantId);
            var programKnown = await query.LoadAsync<MatchingProgram>(message.ProgramId, ct) is not null;
            // Held means held as the run was asked for: a candidate whose profile changed before then, with that change.
            var held = (await query.LoadManyAsync<Candidate>(ct, message.EnrolmentIds))
                .Where(c => message.ProfilesAt?.TryGetValue(c.Id, out var changedAt) != true || c.ProfileAt >= changedAt)
                .Select(c => c.Id)
                .Concat((await query.LoadManyAsync<EnrolmentSighting>(ct, message.EnrolmentIds)).Select(w => w.Id))
                .ToHashSet();
            var missing = message.EnrolmentIds.Where(id => !held.Contains(id)).ToList();
            if (programKnown && missing.Count == 0 || clock.GetUtcNow() > deadline)
            {
                return missing;
            }
            await Task.Delay(100, ct);
        }
    }
}

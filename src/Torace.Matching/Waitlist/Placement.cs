using Marten;
using Torace.Matching.Candidates;
using Torace.Matching.Engine;
using Torace.Matching.Matches;
using Torace.Matching.Problems;
using Torace.Matching.Runs;

namespace Torace.Matching.Waitlist;

/// <summary>
/// Matches whoever is waiting as soon as a place exists: in continuous programs from the first enrolment, in batch
/// programs once the coordinator has published a run (late mentees, the waitlist when a mentor enrols, and anyone a
/// decline set free). Each placement is a small run, solved and published at once, so it leaves the same trail.
/// </summary>
public static class Placement
{
    public static async Task PlaceWaiting(IDocumentSession session, Guid programId, string trigger, DateTimeOffset now, CancellationToken ct,
        bool menteeArrived = false)
    {
        var ledger = await session.Events.FetchForWriting<ProgramLedger>(programId, ct);
        if (await session.LoadAsync<MatchingProgram>(programId, ct) is { } program)
        {
            await PlaceWaiting(session, ledger, program, trigger, now, ct, menteeArrived);
        }
    }

    /// <summary>
    /// Places the waiting mentees of <paramref name="program"/>; <paramref name="ledger"/> must have been fetched before
    /// anything else was read. When a mentee just arrived, a run is recorded even if nobody can be placed, so the
    /// waitlist says why they wait.
    /// </summary>
    public static async Task PlaceWaiting(IDocumentSession session, JasperFx.Events.IEventStream<ProgramLedger> ledger, MatchingProgram program,
        string trigger, DateTimeOffset now, CancellationToken ct, bool menteeArrived = false)
    {
        if (program.Cancelled || program.Matching.Rounds > 1 || (!program.Continuous && ledger.Aggregate?.HasPublished != true))
        {
            return;
        }

        var context = await MatchingProblems.Load(session, program, now, ct);
        if (context.Problem.Mentees.Count == 0 || (context.Problem.Mentors.All(m => m.Capacity == 0) && !menteeArrived))
        {
            return;
        }
        var (result, seconds) = RunSolver.Solve(context, trigger);
        if (result.Proposals.Count == 0 && !menteeArrived)
        {
            return;
        }

        var started = new MatchingRunStarted(Guid.CreateVersion7(), program.Id, trigger, Queued: false, now);
        var run = MatchingRun.Create(started);
        var completed = MatchingRunDecisions.Complete(run, result, Guid.CreateVersion7, seconds, now);
        if (completed.Proposals.Count == 0)
        {
            // Nobody could be placed; the run still records why the newcomer waits.
            session.Events.StartStream<MatchingRun>(run.Id, started, completed);
            return;
        }
        run = run.Apply(completed);
        var published = MatchingRunDecisions.Publish(run, context, Guid.CreateVersion7, now);
        session.Events.StartStream<MatchingRun>(run.Id, started, completed, published);
        MatchPublishing.Publish(session, ledger, context, run, published);
    }
}

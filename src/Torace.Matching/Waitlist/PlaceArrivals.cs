using Marten;
using MassTransit;
using Torace.Contracts;
using Torace.Matching.Candidates;
using Torace.Matching.Runs;
using Torace.Platform.Storage;

namespace Torace.Matching.Waitlist;

/// <summary>Someone joined (or changed their profile in) a program's pool and may be placed; on the candidate's own stream.</summary>
public sealed record CandidateWaiting(Guid ProgramId, Guid EnrolmentId, string Role, DateTimeOffset At);

/// <summary>
/// <see cref="CandidateWaiting"/> as the outbox publishes it, to Matching alone: the ask to place whoever waits in the
/// program, which many arrivals can share.
/// </summary>
public sealed record PlacementWanted(string TenantId, Guid ProgramId, Guid EnrolmentId, string Role) : IDistrictEvent;

/// <summary>
/// Places arrivals program by program, a batch at a time: a burst of 10,000 enrolments is a few placements, not 10,000
/// solves, and only a placement (not every arrival) goes through the program's ledger. Placing is idempotent (whoever is
/// placed no longer waits), so a batch retried after a conflict or a crash places nobody twice.
/// </summary>
public sealed class PlaceArrivals(IDocumentStore store, TimeProvider clock) : IConsumer<Batch<PlacementWanted>>
{
    public const int MessageLimit = 500;
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(100);

    public async Task Consume(ConsumeContext<Batch<PlacementWanted>> context)
    {
        foreach (var program in context.Message.Select(m => m.Message).GroupBy(m => (m.TenantId, m.ProgramId)))
        {
            await using var session = store.OpenTenantSession(program.Key.TenantId);
            await Placement.PlaceWaiting(session, program.Key.ProgramId, RunTriggers.Enrolment, clock.GetUtcNow(), context.CancellationToken,
                menteeArrived: program.Any(m => m.Role == Candidate.Mentee));
            await session.SaveChangesAsync(context.CancellationToken);
        }
    }
}

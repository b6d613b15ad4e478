using Marten;
using Torace.Contracts.Programs;
using Torace.Platform.Messaging;
using Torace.Scheduling.Touchpoints;

namespace Torace.Scheduling.Engagements;

/// <summary>
/// A program cancelled: Scheduling remembers it (a sighting of the program, README "Messages out of order"), so a match
/// published just before is not scheduled after it.
/// </summary>
public sealed record CancelledProgram(Guid Id, string Reason, DateTimeOffset CancelledAt);

/// <summary>
/// A cancelled program's engagements end, each with its unclaimed reminders, in one transaction; an engagement whose
/// match arrives later is ended as it is scheduled (<see cref="ScheduleEngagement"/>).
/// </summary>
public sealed class EndEngagementsOfCancelledProgram(IDocumentStore store) : IdempotentConsumer<ProgramCancelled>(store)
{
    protected override async Task Handle(ProgramCancelled e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        await Sightings.Note(session, e.ProgramId, () => new CancelledProgram(e.ProgramId, e.Reason, e.CancelledAt), known => known, ct);
        var active = await session.Query<Engagement>()
            .Where(x => x.ProgramId == e.ProgramId && x.Status == EngagementStatus.Active)
            .Select(x => x.Id)
            .ToListAsync(ct);
        foreach (var engagementId in active)
        {
            var stream = await session.Events.FetchForWriting<Engagement>(engagementId, ct);
            var ended = EngagementDecisions.EndWithProgram(stream.Aggregate!, e.Reason, e.CancelledAt);
            stream.AppendMany(ended);
            DueTable.Sync(session, stream.Aggregate!.After(ended), e.CancelledAt);
        }
    }
}

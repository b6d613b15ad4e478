using Marten;
using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.Platform.Messaging;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.People;

/// <summary>
/// Keeps the match and engagement records people's pages and reports read, from Matching's and Scheduling's events.
/// Idempotent through the inbox; each record is a sighting (README "Messages out of order"): whichever message about
/// it comes first creates it, and two racing each other collide on its key or version and the loser is retried.
/// </summary>
public sealed class RecordParticipation<TEvent>(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<TEvent>(store)
    where TEvent : class, IDistrictEvent
{
    readonly IDocumentStore store = store;

    /// <summary>
    /// The last engagement to finish completes the program. Checked once this record has committed, so two last
    /// engagements finishing at once (each seeing the other still going in its own transaction) still complete it.
    /// </summary>
    protected override Task AfterCommit(TEvent message, CancellationToken ct) =>
        message is EngagementCompleted or EngagementEnded
            ? ProgramCompletion.Check(store, message.TenantId, message.ProgramId, clock.GetUtcNow(), ct)
            : Task.CompletedTask;

    protected override async Task Handle(TEvent message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        switch (message)
        {
            case MatchProposed e:
                await Sightings.Note(session, e.MatchId, () => MatchRecord.Empty(e.MatchId, e.ProgramId), m => m.Apply(e), ct);
                break;
            case MatchDeclined e:
                await Sightings.Note(session, e.MatchId, () => MatchRecord.Empty(e.MatchId, e.ProgramId), m => m.Apply(e), ct);
                break;
            case EngagementScheduled e:
                await Sightings.Note(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case SessionCompleted e:
                await Sightings.Note(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case TouchpointDue e:
                await Sightings.Note(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case TouchpointSubmitted e:
                await Sightings.Note(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case EngagementCompleted e:
                await Sightings.Note(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case EngagementEnded e:
                await Sightings.Note(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                foreach (var matchId in e.Matches.Where(id => id != Guid.Empty))
                {
                    await Sightings.Note(session, matchId, () => MatchRecord.Empty(matchId, e.ProgramId), m => m.Apply(e), ct);
                }
                break;
            case PairingEnded e:
                await Sightings.Note(session, e.MatchId, () => MatchRecord.Empty(e.MatchId, e.ProgramId), m => m.Apply(e), ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "Not a participation event.");
        }
    }
}

public static class ParticipationConsumers
{
    const string Queue = "programs-participation";

    public static void Register(IBusRegistrationConfigurator bus)
    {
        Add<MatchProposed>(bus);
        Add<MatchDeclined>(bus);
        Add<EngagementScheduled>(bus);
        Add<SessionCompleted>(bus);
        Add<TouchpointDue>(bus);
        Add<TouchpointSubmitted>(bus);
        Add<EngagementCompleted>(bus);
        Add<PairingEnded>(bus);
        Add<EngagementEnded>(bus);
    }

    static void Add<TEvent>(IBusRegistrationConfigurator bus) where TEvent : class, IDistrictEvent =>
        bus.AddConsumer<RecordParticipation<TEvent>>().Endpoint(e => e.Name = Queue);
}

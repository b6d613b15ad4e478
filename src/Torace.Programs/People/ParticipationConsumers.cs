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
/// Idempotent through the inbox; two messages about one record racing each other collide on its version (optimistic
/// concurrency) and the loser is retried on the record as the winner left it.
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
                await Change(session, e.MatchId, () => MatchRecord.Empty(e.MatchId, e.ProgramId), m => m.Apply(e), ct);
                break;
            case MatchDeclined e:
                await Change(session, e.MatchId, () => MatchRecord.Empty(e.MatchId, e.ProgramId), m => m.Apply(e), ct);
                break;
            case EngagementScheduled e:
                await Change(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case SessionCompleted e:
                await Change(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case TouchpointDue e:
                await Change(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case TouchpointSubmitted e:
                await Change(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case EngagementCompleted e:
                await Change(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                break;
            case EngagementEnded e:
                await Change(session, e.EngagementId, () => EngagementRecord.Empty(e.EngagementId, e.ProgramId), x => x.Apply(e), ct);
                if (e.MatchId != Guid.Empty)
                {
                    await Change(session, e.MatchId, () => MatchRecord.Empty(e.MatchId, e.ProgramId), m => m.Apply(e), ct);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "Not a participation event.");
        }
    }

    /// <summary>Insert when new (a racing insert fails on the key), update otherwise (a racing update fails on the version).</summary>
    static async Task Change<TRecord>(IDocumentSession session, Guid id, Func<TRecord> empty, Func<TRecord, TRecord> apply, CancellationToken ct)
        where TRecord : notnull
    {
        if (await session.LoadAsync<TRecord>(id, ct) is { } existing)
        {
            session.Update(apply(existing));
        }
        else
        {
            session.Insert(apply(empty()));
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
        Add<EngagementEnded>(bus);
    }

    static void Add<TEvent>(IBusRegistrationConfigurator bus) where TEvent : class, IDistrictEvent =>
        bus.AddConsumer<RecordParticipation<TEvent>>().Endpoint(e => e.Name = Queue);
}

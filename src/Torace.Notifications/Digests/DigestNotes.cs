using Marten;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;
using Torace.Platform.Messaging;

namespace Torace.Notifications.Digests;

/// <summary>
/// Notes what the next digest tells: each message once (its id is the note's), timed by when Notifications heard it, so
/// a late message still reaches the next digest instead of falling before the last one.
/// </summary>
public abstract class DigestNote<TMessage>(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<TMessage>(store)
    where TMessage : class, Torace.Contracts.IDistrictEvent
{
    protected abstract Task<DigestItem?> Note(TMessage message, Guid messageId, DateTimeOffset now, IQuerySession session, CancellationToken ct);

    protected override async Task Handle(TMessage message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        if (await Note(message, messageId, clock.GetUtcNow(), session, ct) is { } item)
        {
            session.Store(item);
        }
    }
}

public sealed class NoteNewMatch(IDocumentStore store, TimeProvider clock) : DigestNote<MatchProposed>(store, clock)
{
    protected override Task<DigestItem?> Note(MatchProposed m, Guid messageId, DateTimeOffset now, IQuerySession session, CancellationToken ct) =>
        Task.FromResult<DigestItem?>(new(messageId, m.ProgramId, m.ProgramName, DigestKinds.NewMatch,
            $"{m.Mentor.Name} ({m.Mentor.Site}) with {string.Join(", ", m.Mentees.Select(x => $"{x.Name} ({x.Site})"))}", now,
            [.. m.Mentees.Prepend(m.Mentor).Select(p => new DigestPerson(p.EnrolmentId, p.Name, p.Email))]));
}

/// <summary>An overdue touchpoint is told once, by its nudge.</summary>
public sealed class NoteOverdue(IDocumentStore store, TimeProvider clock) : DigestNote<TouchpointDue>(store, clock)
{
    protected override Task<DigestItem?> Note(TouchpointDue due, Guid messageId, DateTimeOffset now, IQuerySession session, CancellationToken ct) =>
        Task.FromResult(due.Nudge
            ? new DigestItem(messageId, due.ProgramId, due.ProgramName, DigestKinds.Overdue,
                $"{string.Join(", ", due.Recipients.Select(r => r.Name))}: {due.Kind.Replace('-', ' ')} due {EmailComposer.Local(due.DueAt, "UTC")}", now,
                [.. due.Recipients.Select(r => new DigestPerson(r.EnrolmentId, r.Name, r.Email))])
            : null);
}

public sealed class NoteMissed(IDocumentStore store, TimeProvider clock) : DigestNote<TouchpointMissed>(store, clock)
{
    protected override async Task<DigestItem?> Note(TouchpointMissed missed, Guid messageId, DateTimeOffset now, IQuerySession session, CancellationToken ct)
    {
        // The delivery log knows the recipient's address from the reminders they were sent.
        var who = await session.Query<Delivery>().Where(d => d.RecipientId == missed.RecipientId).Select(d => d.Recipient).FirstOrDefaultAsync(ct);
        return new DigestItem(messageId, missed.ProgramId, null, DigestKinds.Missed, $"{who ?? "A participant"}: {missed.Kind.Replace('-', ' ')} was not sent", now,
            who is null ? [] : [new DigestPerson(missed.RecipientId, "", who)]);
    }
}

public sealed class NoteStalled(IDocumentStore store, TimeProvider clock) : DigestNote<EngagementStalled>(store, clock)
{
    protected override Task<DigestItem?> Note(EngagementStalled stalled, Guid messageId, DateTimeOffset now, IQuerySession session, CancellationToken ct) =>
        Task.FromResult<DigestItem?>(new(messageId, stalled.ProgramId, stalled.ProgramName, DigestKinds.Stalled,
            $"{(stalled.Participants is { Count: > 0 } people ? string.Join(" with ", people.Select(p => $"{p.Name} ({p.Site})")) : $"Engagement {stalled.EngagementId}")}: "
            + $"no activity since {EmailComposer.Local(stalled.LastActivityAt, "UTC")}", now,
            [.. (stalled.Participants ?? []).Select(p => new DigestPerson(p.EnrolmentId, p.Name, p.Email))]));
}

using Marten;
using Torace.Contracts.Programs;
using Torace.Platform.Messaging;

namespace Torace.Notifications.Reminders;

/// <summary>An enrolment's choice about reminders, as last heard: stopped or not, and when it was made.</summary>
public sealed record ReminderChoice(Guid Id, bool Stopped, DateTimeOffset ChangedAt)
{
    /// <summary>The later choice wins, whatever order the broker brings them in.</summary>
    public static ReminderChoice Latest(ReminderChoice? known, ParticipantRemindersChanged heard) =>
        known is not null && known.ChangedAt >= heard.ChangedAt ? known : new(heard.EnrolmentId, heard.Stopped, heard.ChangedAt);

    /// <summary>Those of <paramref name="enrolmentIds"/> whose reminders are stopped.</summary>
    public static async Task<IReadOnlySet<Guid>> StoppedAmong(IQuerySession session, IReadOnlyCollection<Guid> enrolmentIds, CancellationToken ct) =>
        enrolmentIds.Count == 0
            ? new HashSet<Guid>()
            : (await session.LoadManyAsync<ReminderChoice>(ct, enrolmentIds)).Where(c => c.Stopped).Select(c => c.Id).ToHashSet();
}

/// <summary>Remembers each enrolment's latest choice about reminders (ParticipantRemindersChanged from Programs).</summary>
public sealed class RememberReminderChoice(IDocumentStore store) : IdempotentConsumer<ParticipantRemindersChanged>(store)
{
    protected override async Task Handle(ParticipantRemindersChanged message, Guid messageId, IDocumentSession session, CancellationToken ct) =>
        session.Store(ReminderChoice.Latest(await session.LoadAsync<ReminderChoice>(message.EnrolmentId, ct), message));
}

using Marten;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Programs;
using Torace.Contracts.Scheduling;
using Torace.Notifications.Email;
using Torace.Notifications.Invites;
using Torace.Notifications.Links;
using Torace.Notifications.Reminders;
using Torace.Platform.Messaging;

namespace Torace.Notifications.Deliveries;

/// <summary>Emails everyone a message concerns, each once per (message, recipient, kind): see <see cref="DeliveryLog"/>.</summary>
public abstract class Notifier<TMessage>(IDocumentStore store, DeliveryLog deliveries) : IdempotentConsumer<TMessage>(store)
    where TMessage : class, IDistrictEvent
{
    protected virtual IEnumerable<EmailMessage> Compose(TMessage message) => [];

    /// <summary>The emails to send; a message that does not name its recipients looks them up in the delivery log.</summary>
    protected virtual Task<IEnumerable<EmailMessage>> Compose(TMessage message, IQuerySession session, CancellationToken ct) =>
        Task.FromResult(Compose(message));

    protected override async Task Handle(TMessage message, Guid messageId, IDocumentSession session, CancellationToken ct) =>
        await Send(message, messageId, await Compose(message, session, ct), ct);

    protected async Task Send(TMessage message, Guid messageId, IEnumerable<EmailMessage> emails, CancellationToken ct)
    {
        foreach (var email in emails)
        {
            await deliveries.SendOnce(message.TenantId, message.ProgramId, messageId, email, IsLastTry, ct);
        }
    }
}

public sealed class NotifyMatch(IDocumentStore store, DeliveryLog deliveries, Sender sender, ActionLinks links) : Notifier<MatchProposed>(store, deliveries)
{
    protected override IEnumerable<EmailMessage> Compose(MatchProposed message) => EmailComposer.ForMatch(message, links.For(message.TenantId));

    /// <summary>
    /// The match email, then an invite for each session the program gave a date (one session per invite), remembered
    /// so a move updates it and an early end cancels it; none once the engagement has ended.
    /// </summary>
    protected override async Task Handle(MatchProposed message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        await base.Handle(message, messageId, session, ct);
        if (await session.LoadAsync<EndedMatch>(message.MatchId, ct) is not null)
        {
            return;
        }
        foreach (var invite in EmailComposer.Invited(message))
        {
            await Send(message, messageId, InviteEmails.ForDate(invite, message.ProgramName, invite.Attendees, null, null, sender, message.ProposedAt), ct);
            await SessionInvite.Remember(session, invite, ct);
        }
    }
}

/// <summary>A reflection, touchpoint or nudge is due: each recipient who has not stopped their reminders is emailed.</summary>
public sealed class NotifyTouchpointDue(IDocumentStore store, DeliveryLog deliveries, ActionLinks links) : Notifier<TouchpointDue>(store, deliveries)
{
    protected override async Task<IEnumerable<EmailMessage>> Compose(TouchpointDue message, IQuerySession session, CancellationToken ct)
    {
        var stopped = await ReminderChoice.StoppedAmong(session, [.. message.Recipients.Select(r => r.EnrolmentId)], ct);
        return EmailComposer.ForTouchpoint(message with { Recipients = [.. message.Recipients.Where(r => !stopped.Contains(r.EnrolmentId))] },
            links.For(message.TenantId));
    }
}

/// <summary>A mentee submitted a reflection or report: their mentors are asked for feedback, each with their own link.</summary>
public sealed class NotifyTouchpointSubmitted(IDocumentStore store, DeliveryLog deliveries, ActionLinks links) : Notifier<TouchpointSubmitted>(store, deliveries)
{
    protected override IEnumerable<EmailMessage> Compose(TouchpointSubmitted message) => EmailComposer.ForSubmission(message, links.For(message.TenantId));
}

/// <summary>A participant proposed a session's date: the others are asked to confirm it or propose another.</summary>
public sealed class NotifySessionDateProposed(IDocumentStore store, DeliveryLog deliveries, ActionLinks links) : Notifier<SessionDateProposed>(store, deliveries)
{
    protected override IEnumerable<EmailMessage> Compose(SessionDateProposed message) => EmailComposer.ForDateProposed(message, links.For(message.TenantId));
}

public sealed class NotifySessionCompleted(IDocumentStore store, DeliveryLog deliveries) : Notifier<SessionCompleted>(store, deliveries)
{
    protected override IEnumerable<EmailMessage> Compose(SessionCompleted message) => EmailComposer.ForSessionCompleted(message);
}

/// <summary>A cancelled program: everyone who was told of a match in it (whose match email went out) is told it will not go ahead, and why.</summary>
public sealed class NotifyProgramCancelled(IDocumentStore store, DeliveryLog deliveries) : Notifier<ProgramCancelled>(store, deliveries)
{
    protected override async Task<IEnumerable<EmailMessage>> Compose(ProgramCancelled message, IQuerySession session, CancellationToken ct)
    {
        var matched = await session.Query<Delivery>()
            .Where(d => d.ProgramId == message.ProgramId && d.Kind == EmailComposer.MatchKind && d.Status == DeliveryState.Sent)
            .Select(d => d.Recipient)
            .ToListAsync(ct);
        return EmailComposer.ForCancellation(message, [.. matched.Distinct(StringComparer.OrdinalIgnoreCase)]);
    }
}

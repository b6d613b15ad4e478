using Marten;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Programs;
using Torace.Contracts.Scheduling;
using Torace.Notifications.Email;
using Torace.Notifications.Invites;
using Torace.Notifications.Links;
using Torace.Notifications.Reminders;
using Torace.Notifications.Templates;
using Torace.Platform.Messaging;

namespace Torace.Notifications.Deliveries;

/// <summary>
/// Emails everyone a message concerns, each once per (message, recipient, kind): see <see cref="DeliveryLog"/>; each in
/// the words of the district's (or the program's) templates: see <see cref="TemplateSets"/>.
/// </summary>
public abstract class Notifier<TMessage>(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates) : IdempotentConsumer<TMessage>(store)
    where TMessage : class, IDistrictEvent
{
    protected virtual IEnumerable<EmailMessage> Compose(TMessage message, TemplateSet templates) => [];

    /// <summary>The emails to send; a message that does not name its recipients looks them up in the delivery log.</summary>
    protected virtual Task<IEnumerable<EmailMessage>> Compose(TMessage message, TemplateSet templates, IQuerySession session, CancellationToken ct) =>
        Task.FromResult(Compose(message, templates));

    protected override async Task Handle(TMessage message, Guid messageId, IDocumentSession session, CancellationToken ct) =>
        await Send(message, messageId, await Compose(message, await TemplatesFor(message, ct), session, ct), ct);

    /// <summary>The templates in force for the message's program.</summary>
    protected Task<TemplateSet> TemplatesFor(TMessage message, CancellationToken ct) => templates.For(message.TenantId, message.ProgramId, ct);

    protected async Task Send(TMessage message, Guid messageId, IEnumerable<EmailMessage> emails, CancellationToken ct)
    {
        foreach (var email in emails)
        {
            await deliveries.SendOnce(message.TenantId, message.ProgramId, messageId, email, IsLastTry, ct);
        }
    }
}

public sealed class NotifyMatch(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, Sender sender, ActionLinks links) : Notifier<MatchProposed>(store, deliveries, templates)
{
    protected override IEnumerable<EmailMessage> Compose(MatchProposed message, TemplateSet templates) =>
        EmailComposer.ForMatch(message, links.For(message.TenantId), templates);

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
            await Send(message, messageId, InviteEmails.ForDate(invite, message.ProgramName, invite.Attendees, null, null, sender, message.ProposedAt,
                await TemplatesFor(message, ct)), ct);
            await SessionInvite.Remember(session, invite, ct);
        }
    }
}

/// <summary>A reflection, touchpoint or nudge is due: each recipient who has not stopped their reminders is emailed.</summary>
public sealed class NotifyTouchpointDue(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, ActionLinks links) : Notifier<TouchpointDue>(store, deliveries, templates)
{
    protected override async Task<IEnumerable<EmailMessage>> Compose(TouchpointDue message, TemplateSet templates, IQuerySession session, CancellationToken ct)
    {
        var stopped = await ReminderChoice.StoppedAmong(session, [.. message.Recipients.Select(r => r.EnrolmentId)], ct);
        return EmailComposer.ForTouchpoint(message with { Recipients = [.. message.Recipients.Where(r => !stopped.Contains(r.EnrolmentId))] },
            links.For(message.TenantId), templates);
    }
}

/// <summary>A mentee submitted a reflection or report: their mentors are asked for feedback, each with their own link.</summary>
public sealed class NotifyTouchpointSubmitted(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, ActionLinks links) : Notifier<TouchpointSubmitted>(store, deliveries, templates)
{
    protected override IEnumerable<EmailMessage> Compose(TouchpointSubmitted message, TemplateSet templates) =>
        EmailComposer.ForSubmission(message, links.For(message.TenantId), templates);
}

/// <summary>A participant proposed a session's date: the others are asked to confirm it or propose another.</summary>
public sealed class NotifySessionDateProposed(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates, ActionLinks links) : Notifier<SessionDateProposed>(store, deliveries, templates)
{
    protected override IEnumerable<EmailMessage> Compose(SessionDateProposed message, TemplateSet templates) =>
        EmailComposer.ForDateProposed(message, links.For(message.TenantId), templates);
}

public sealed class NotifySessionCompleted(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates) : Notifier<SessionCompleted>(store, deliveries, templates)
{
    protected override IEnumerable<EmailMessage> Compose(SessionCompleted message, TemplateSet templates) => EmailComposer.ForSessionCompleted(message, templates);
}

/// <summary>A cancelled program: everyone who was told of a match in it (whose match email went out) is told it will not go ahead, and why.</summary>
public sealed class NotifyProgramCancelled(IDocumentStore store, DeliveryLog deliveries, TemplateSets templates) : Notifier<ProgramCancelled>(store, deliveries, templates)
{
    protected override async Task<IEnumerable<EmailMessage>> Compose(ProgramCancelled message, TemplateSet templates, IQuerySession session, CancellationToken ct)
    {
        var matched = await session.Query<Delivery>()
            .Where(d => d.ProgramId == message.ProgramId && d.Kind == EmailComposer.MatchKind && d.Status == DeliveryState.Sent)
            .Select(d => d.Recipient)
            .ToListAsync(ct);
        return EmailComposer.ForCancellation(message, [.. matched.Distinct(StringComparer.OrdinalIgnoreCase)], templates);
    }
}

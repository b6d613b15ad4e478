using Marten;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.Notifications.Email;
using Torace.Platform.Messaging;

namespace Torace.Notifications.Deliveries;

/// <summary>
/// Sends each email at most once per (message, recipient, kind): a recipient whose delivery stream exists
/// is skipped, and each delivery is committed right after the mail server accepts it. The window left is a
/// crash between the server's accept and that commit.
/// </summary>
public abstract class Notifier<TMessage>(IDocumentStore store, IMailer mailer, TimeProvider clock) : IdempotentConsumer<TMessage>(store)
    where TMessage : class, IDistrictEvent
{
    protected abstract IEnumerable<EmailMessage> Compose(TMessage message);

    protected override async Task Handle(TMessage message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        foreach (var email in Compose(message))
        {
            var deliveryId = Delivery.KeyOf(messageId, email.To, email.Kind);
            if (await session.Events.FetchStreamStateAsync(deliveryId, ct) is not null)
            {
                continue;
            }
            await mailer.Send(email, ct);
            session.Events.StartStream<Delivery>(deliveryId,
                new EmailDelivered(deliveryId, message.ProgramId, messageId, email.Kind, email.To, email.Subject, clock.GetUtcNow()));
            await session.SaveChangesAsync(ct);
        }
    }
}

public sealed class NotifyMatch(IDocumentStore store, IMailer mailer, TimeProvider clock) : Notifier<MatchProposed>(store, mailer, clock)
{
    protected override IEnumerable<EmailMessage> Compose(MatchProposed message) => EmailComposer.ForMatch(message);
}

public sealed class NotifyTouchpointDue(IDocumentStore store, IMailer mailer, TimeProvider clock) : Notifier<TouchpointDue>(store, mailer, clock)
{
    protected override IEnumerable<EmailMessage> Compose(TouchpointDue message) => EmailComposer.ForTouchpoint(message);
}

public sealed class NotifySessionCompleted(IDocumentStore store, IMailer mailer, TimeProvider clock) : Notifier<SessionCompleted>(store, mailer, clock)
{
    protected override IEnumerable<EmailMessage> Compose(SessionCompleted message) => EmailComposer.ForSessionCompleted(message);
}

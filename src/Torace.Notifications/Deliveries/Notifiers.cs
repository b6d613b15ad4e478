using Marten;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.Notifications.Email;
using Torace.Platform.Messaging;

namespace Torace.Notifications.Deliveries;

/// <summary>Emails everyone a message concerns, each once per (message, recipient, kind): see <see cref="DeliveryLog"/>.</summary>
public abstract class Notifier<TMessage>(IDocumentStore store, DeliveryLog deliveries) : IdempotentConsumer<TMessage>(store)
    where TMessage : class, IDistrictEvent
{
    protected abstract IEnumerable<EmailMessage> Compose(TMessage message);

    protected override async Task Handle(TMessage message, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        foreach (var email in Compose(message))
        {
            await deliveries.SendOnce(message.TenantId, message.ProgramId, messageId, email, ct);
        }
    }
}

public sealed class NotifyMatch(IDocumentStore store, DeliveryLog deliveries) : Notifier<MatchProposed>(store, deliveries)
{
    protected override IEnumerable<EmailMessage> Compose(MatchProposed message) => EmailComposer.ForMatch(message);
}

public sealed class NotifyTouchpointDue(IDocumentStore store, DeliveryLog deliveries) : Notifier<TouchpointDue>(store, deliveries)
{
    protected override IEnumerable<EmailMessage> Compose(TouchpointDue message) => EmailComposer.ForTouchpoint(message);
}

public sealed class NotifySessionCompleted(IDocumentStore store, DeliveryLog deliveries) : Notifier<SessionCompleted>(store, deliveries)
{
    protected override IEnumerable<EmailMessage> Compose(SessionCompleted message) => EmailComposer.ForSessionCompleted(message);
}

using JasperFx.Events;
using Torace.Contracts.Notifications;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Webhooks;
using Torace.Platform.Messaging;

namespace Torace.Notifications;

public sealed class NotificationsIntegrationEvents : IIntegrationEventMap
{
    public object? ToIntegrationEvent(IEvent stored) => stored.Data switch
    {
        EmailDelivered e => new NotificationSent(stored.TenantId, e.ProgramId, e.DeliveryId, e.CausedBy, e.Kind, e.Recipient, e.Subject, e.SentAt, e.RecipientId),
        EmailFailed e => new NotificationFailed(stored.TenantId, e.ProgramId, e.DeliveryId, e.CausedBy, e.Kind, e.Recipient, e.Error, e.FailedAt, e.RecipientId, e.Reason),
        WebhookDisabled e => new WebhookEndpointDisabled(stored.TenantId, e.EndpointId, e.Url, e.Reason, e.DisabledAt),
        _ => null,
    };
}

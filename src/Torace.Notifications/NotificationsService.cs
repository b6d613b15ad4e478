using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Digests;
using Torace.Notifications.Invites;
using Torace.Notifications.Reminders;
using Torace.Notifications.Webhooks;

namespace Torace.Notifications;

/// <summary>The Notifications service: emails each match, reminder, session date and outcome once per recipient and reason, with calendar invites and the participant's links; sends coordinators a daily digest; delivers the district's webhooks.</summary>
public static class NotificationsService
{
    public const string Name = "notifications";

    public static void ConfigureStore(StoreOptions options)
    {
        options.Projections.Snapshot<Delivery>(SnapshotLifecycle.Inline);
        options.Schema.For<Delivery>().Index(d => d.ProgramId);
        options.Schema.For<SessionInvite>().Index(i => i.MatchId).UseOptimisticConcurrency(true);
        options.Projections.Snapshot<WebhookEndpoint>(SnapshotLifecycle.Inline);
        options.Schema.For<DigestItem>().Index(i => i.At);
        options.Storage.ExtendedSchemaObjects.AddRange(WebhookQueue.Definitions(Name));
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<NotifyMatch>();
        bus.AddConsumer<NotifyTouchpointDue>();
        bus.AddConsumer<NotifySessionCompleted>();
        bus.AddConsumer<NotifyProgramCancelled>();
        bus.AddConsumer<NotifySessionScheduled>();
        bus.AddConsumer<NotifySessionRescheduled>();
        bus.AddConsumer<NotifySessionDateProposed>();
        bus.AddConsumer<NotifyTouchpointSubmitted>();
        bus.AddConsumer<NotifyEngagementEnded>();
        bus.AddConsumer<NotifyPairingEnded>();
        bus.AddConsumer<RememberReminderChoice>();
        DigestSetup.RegisterConsumers(bus);
        WebhookConsumers.Register(bus);
    }
}

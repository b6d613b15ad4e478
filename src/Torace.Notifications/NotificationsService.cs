using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Torace.Notifications.Deliveries;

namespace Torace.Notifications;

/// <summary>The Notifications service: emails each match, reminder and session outcome once per recipient and reason.</summary>
public static class NotificationsService
{
    public const string Name = "notifications";

    public static void ConfigureStore(StoreOptions options)
    {
        options.Projections.Snapshot<Delivery>(SnapshotLifecycle.Inline);
        options.Schema.For<Delivery>().Index(d => d.ProgramId);
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<NotifyMatch>();
        bus.AddConsumer<NotifyTouchpointDue>();
        bus.AddConsumer<NotifySessionCompleted>();
        bus.AddConsumer<NotifyProgramCancelled>();
    }
}

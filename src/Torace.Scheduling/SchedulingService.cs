using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Torace.Scheduling.Engagements;
using Torace.Scheduling.Touchpoints;

namespace Torace.Scheduling;

/// <summary>The Scheduling service: engagements (sessions, touchpoints, reflections) and the due table.</summary>
public static class SchedulingService
{
    public const string Name = "scheduling";

    public static void ConfigureStore(StoreOptions options)
    {
        options.Projections.Snapshot<Engagement>(SnapshotLifecycle.Inline);
        options.Schema.For<Engagement>().Index(e => e.ProgramId);
        options.Schema.For<MatchSighting>().UseOptimisticConcurrency(true);
        options.Schema.For<CancelledProgram>().UseOptimisticConcurrency(true);
        options.Storage.ExtendedSchemaObjects.Add(DueTable.Definition(Name));
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ScheduleEngagement>();
        bus.AddConsumer<EndEngagementOnDecline>();
        bus.AddConsumer<EndEngagementsOfCancelledProgram>();
    }
}

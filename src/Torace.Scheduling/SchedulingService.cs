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
        // A sweep appends to hundreds of engagement streams a transaction; the quick append skips the per-stream append
        // function and its look-ups (nothing here reads an event's version or sequence while it is being appended).
        options.Events.AppendMode = JasperFx.Events.EventAppendMode.Quick;
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

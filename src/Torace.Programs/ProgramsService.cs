using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Torace.Programs.History;
using Torace.Programs.Lifecycle;
using Torace.Programs.MatchingRequests;

namespace Torace.Programs;

/// <summary>The Programs service: program definitions and lifecycle, enrolments, matching requests and each program's timeline.</summary>
public static class ProgramsService
{
    public const string Name = "programs";

    public static void ConfigureStore(StoreOptions options)
    {
        options.Projections.Snapshot<ProgramState>(SnapshotLifecycle.Inline);
        options.Schema.For<ProgramState>().Index(p => p.CreatedAt);
        options.Projections.Snapshot<Enrolment.Enrolment>(SnapshotLifecycle.Inline);
        options.Schema.For<Enrolment.Enrolment>().Index(e => e.Profile.ProgramId);
        options.Projections.Add(new TimelineProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new RequestedRunProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new Enrolment.EnrolmentCountsProjection(), ProjectionLifecycle.Inline);
        options.Storage.ExtendedSchemaObjects.Add(Enrolment.EnrolmentCounts.Definition());
        options.Schema.For<Enrolment.Enrolment>().Index(e => e.Profile.ExternalId, index => index.Casing = Marten.Schema.ComputedIndex.Casings.Lower);
        options.Schema.For<People.MatchRecord>().UseOptimisticConcurrency(true).Index(m => m.ProgramId);
        options.Schema.For<People.EngagementRecord>().UseOptimisticConcurrency(true).Index(e => e.ProgramId);
        options.Schema.For<TimelineEntry>().Index(e => e.ProgramId).Index(e => e.At);
        Import.ImportApi.ConfigureStore(options);
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        HistoryConsumers.Register(bus);
        People.ParticipationConsumers.Register(bus);
        bus.AddConsumer<RecordRunQueued>();
        ProgramCompletion.Register(bus);
    }
}

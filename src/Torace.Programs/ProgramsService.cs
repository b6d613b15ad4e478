using JasperFx.Events.Projections;
using Marten;
using Torace.Programs.History;
using Torace.Programs.Lifecycle;

namespace Torace.Programs;

/// <summary>The Programs service: program definitions and lifecycle, enrolments, and each program's timeline.</summary>
public static class ProgramsService
{
    public const string Name = "programs";

    public static void ConfigureStore(StoreOptions options)
    {
        options.Projections.Snapshot<ProgramState>(SnapshotLifecycle.Inline);
        options.Schema.For<TimelineEntry>().Index(e => e.ProgramId);
    }
}

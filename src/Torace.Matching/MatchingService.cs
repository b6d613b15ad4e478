using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Torace.Matching.Candidates;
using Torace.Matching.Matches;
using Torace.Matching.Runs;

namespace Torace.Matching;

/// <summary>The Matching service: who can be matched in each program, matching runs and their review, and matches.</summary>
public static class MatchingService
{
    public const string Name = "matching";

    public static void ConfigureStore(StoreOptions options)
    {
        options.Schema.For<Candidate>().Index(c => c.ProgramId).UseOptimisticConcurrency(true);
        // The table it had as WithdrawnEnrolment (same shape), so withdrawals already stored are still read.
        options.Schema.For<EnrolmentSighting>().DocumentAlias("withdrawnenrolment").UseOptimisticConcurrency(true);
        options.Projections.Snapshot<MatchingRun>(SnapshotLifecycle.Inline);
        options.Schema.For<MatchingRun>().Index(r => r.ProgramId);
        options.Projections.Snapshot<Match>(SnapshotLifecycle.Inline);
        options.Schema.For<Match>().Index(m => m.ProgramId).Index(m => m.Mentor.ExternalId);
        options.Projections.Snapshot<ProgramLedger>(SnapshotLifecycle.Inline);
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        CandidateConsumers.Register(bus);
        MatchConsumers.Register(bus);
    }
}

using Marten;
using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Programs;
using Torace.Matching.Waitlist;
using Torace.Platform.Messaging;

namespace Torace.Matching.Candidates;

public sealed class ProgramOpenedConsumer(IDocumentStore store) : IdempotentConsumer<ProgramOpened>(store)
{
    protected override Task Handle(ProgramOpened e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        session.Store(new MatchingProgram(e.ProgramId, e.Name, e.Kind, e.Topic, e.GroupSize, e.Sessions, e.PreReflection,
            e.PostReflection, e.Touchpoints,
            e.Pool ?? new PoolPlan(e.PoolSites, [], [], [], [], false, null),
            e.Matching ?? new MatchingPlan(e.Review, "batch", 1, new Dictionary<string, int>()),
            e.Message));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Records the enrolment; then, if the program matches continuously or has published matches already, places
/// whoever is waiting (a new mentee at once, or the waitlist when a mentor arrives).
/// </summary>
public sealed class ParticipantEnrolledConsumer(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<ParticipantEnrolled>(store)
{
    protected override async Task Handle(ParticipantEnrolled e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        // A withdrawal can overtake its enrolment on the broker; the tombstone keeps it withdrawn.
        var withdrawn = await session.LoadAsync<WithdrawnEnrolment>(e.EnrolmentId, ct) is not null;
        var candidate = new Candidate(e.EnrolmentId, e.ProgramId, e.Role, e.ExternalId, e.Name, e.Email, e.Site, e.Topics,
            e.Modality, e.TimeZone, e.Capacity, e.EnrolledAt, Active: !withdrawn, e.JobRole, e.YearsExperience, e.Availability, e.Requests);
        session.Store(candidate);
        if (candidate.Active)
        {
            await Placement.PlaceWaiting(session, e.ProgramId, "enrolment", clock.GetUtcNow(), ct, arrived: candidate);
        }
    }
}

public sealed class ParticipantWithdrawnConsumer(IDocumentStore store) : IdempotentConsumer<ParticipantWithdrawn>(store)
{
    protected override async Task Handle(ParticipantWithdrawn e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        if (await session.LoadAsync<Candidate>(e.EnrolmentId, ct) is { } candidate)
        {
            session.Store(candidate with { Active = false });
        }
        session.Store(new WithdrawnEnrolment(e.EnrolmentId, e.WithdrawnAt));
    }
}

public sealed record WithdrawnEnrolment(Guid Id, DateTimeOffset WithdrawnAt);

public static class CandidateConsumers
{
    public static void Register(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ProgramOpenedConsumer>();
        bus.AddConsumer<ParticipantEnrolledConsumer>();
        bus.AddConsumer<ParticipantWithdrawnConsumer>();
    }
}

using Marten;
using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Programs;
using Torace.Matching.Matches;
using Torace.Matching.Runs;
using Torace.Matching.Waitlist;
using Torace.Platform.Messaging;

namespace Torace.Matching.Candidates;

/// <summary>Keeps the program's rules; a continuous program then places anyone who enrolled before the news arrived.</summary>
public sealed class ProgramOpenedConsumer(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<ProgramOpened>(store)
{
    protected override async Task Handle(ProgramOpened e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var ledger = await session.Events.FetchForWriting<ProgramLedger>(e.ProgramId, ct);
        var program = new MatchingProgram(e.ProgramId, e.Name, e.Kind, e.Topic, e.GroupSize, e.Sessions, e.PreReflection,
            e.PostReflection, e.Touchpoints,
            e.Pool ?? new PoolPlan(e.PoolSites, [], [], [], [], false, null),
            e.Matching ?? new MatchingPlan(e.Review, "batch", 1, new Dictionary<string, int>()),
            e.Message);
        session.Store(program);
        ledger.AppendOne(new PoolChanged(e.ProgramId, null, PoolChanged.Opened, clock.GetUtcNow()));
        await Placement.PlaceWaiting(session, ledger, program, RunTriggers.Enrolment, clock.GetUtcNow(), ct);
    }
}

/// <summary>
/// Records the enrolment, and notes on the candidate's own stream that someone is waiting. Arrivals never write a
/// stream they share, so a burst of them never conflicts; <see cref="PlaceArrivals"/> places them together.
/// </summary>
public sealed class ParticipantEnrolledConsumer(IDocumentStore store) : IdempotentConsumer<ParticipantEnrolled>(store)
{
    protected override async Task Handle(ParticipantEnrolled e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        // A withdrawal can overtake its enrolment on the broker; the tombstone keeps it withdrawn, unless this is the
        // person enrolling again after it.
        var withdrawn = await session.LoadAsync<WithdrawnEnrolment>(e.EnrolmentId, ct) is { } tombstone && tombstone.WithdrawnAt >= e.EnrolledAt;
        var candidate = new Candidate(e.EnrolmentId, e.ProgramId, e.Role, e.ExternalId, e.Name, e.Email, e.Site, e.Topics,
            e.Modality, e.TimeZone, e.Capacity, e.EnrolledAt, Active: !withdrawn, e.JobRole, e.YearsExperience, e.Availability, e.Requests);
        var known = await session.LoadAsync<Candidate>(e.EnrolmentId, ct);
        if (known is not null && known.ProfileAt > e.EnrolledAt)
        {
            // A later profile change overtook this enrolment: keep its profile, take the enrolment's time and state.
            candidate = known with { EnrolledAt = e.EnrolledAt, Active = !withdrawn };
        }
        Candidates.Save(session, known, candidate);
        if (candidate.Active)
        {
            session.Events.Append(e.EnrolmentId, new CandidateWaiting(e.ProgramId, e.EnrolmentId, e.Role, e.EnrolledAt));
        }
    }
}

/// <summary>
/// Takes the changed profile for runs and placements from now on; a match already published keeps the facts it was
/// published with. A waiting mentee is tried again with the new profile.
/// </summary>
public sealed class ParticipantProfileChangedConsumer(IDocumentStore store) : IdempotentConsumer<ParticipantProfileChanged>(store)
{
    protected override async Task Handle(ParticipantProfileChanged e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        var known = await session.LoadAsync<Candidate>(e.EnrolmentId, ct);
        if (known is not null && known.ProfileAt >= e.ChangedAt)
        {
            return; // an older change, overtaken by a newer one
        }
        var withdrawn = await session.LoadAsync<WithdrawnEnrolment>(e.EnrolmentId, ct) is { } tombstone && tombstone.WithdrawnAt >= e.EnrolledAt;
        var candidate = new Candidate(e.EnrolmentId, e.ProgramId, e.Role, e.ExternalId, e.Name, e.Email, e.Site, e.Topics,
            e.Modality, e.TimeZone, e.Capacity, e.EnrolledAt, Active: known?.Active ?? !withdrawn, e.JobRole, e.YearsExperience,
            e.Availability, e.Requests, e.ChangedAt);
        Candidates.Save(session, known, candidate);
        if (candidate.Active)
        {
            session.Events.Append(e.EnrolmentId, new CandidateWaiting(e.ProgramId, e.EnrolmentId, e.Role, e.ChangedAt));
        }
    }
}

/// <summary>
/// Takes the person out of the pool, and out of every match they are still in: the match ends (or the group goes on
/// without them), Scheduling stops chasing them, and the freed place goes to whoever waits.
/// </summary>
public sealed class ParticipantWithdrawnConsumer(IDocumentStore store, TimeProvider clock) : IdempotentConsumer<ParticipantWithdrawn>(store)
{
    protected override async Task Handle(ParticipantWithdrawn e, Guid messageId, IDocumentSession session, CancellationToken ct)
    {
        // Through the program's ledger, like every placement and publish: one that read this person as active
        // conflicts with the withdrawal, and its retry sees them gone.
        var ledger = await session.Events.FetchForWriting<ProgramLedger>(e.ProgramId, ct);
        ledger.AppendOne(new PoolChanged(e.ProgramId, e.EnrolmentId, PoolChanged.Withdrawn, clock.GetUtcNow()));
        if (await session.LoadAsync<Candidate>(e.EnrolmentId, ct) is { } candidate)
        {
            if (candidate.EnrolledAt > e.WithdrawnAt)
            {
                return; // an earlier withdrawal, overtaken by the person enrolling again
            }
            Candidates.Save(session, candidate, candidate with { Active = false });
        }
        session.Store(new WithdrawnEnrolment(e.EnrolmentId, e.WithdrawnAt));

        var published = await session.Query<Match>()
            .Where(m => m.ProgramId == e.ProgramId && m.Status == MatchStatus.Published)
            .ToListAsync(ct);
        foreach (var match in published.Where(m => m.StillHas(e.EnrolmentId)))
        {
            var stream = await session.Events.FetchForWriting<Match>(match.Id, ct);
            if (stream.Aggregate is { } current && MatchDecisions.Withdraw(current, e.EnrolmentId, clock.GetUtcNow()) is { } left)
            {
                stream.AppendOne(left);
            }
        }
    }
}

public sealed record WithdrawnEnrolment(Guid Id, DateTimeOffset WithdrawnAt);

/// <summary>
/// The one way a candidate is written. Candidates are versioned documents: an enrolment and a profile change of the same
/// person consumed at the same moment (they travel on different queues) would otherwise overwrite each other; the later
/// commit conflicts instead, is retried, and reads the other's write.
/// </summary>
public static class Candidates
{
    public static void Save(IDocumentSession session, Candidate? known, Candidate candidate)
    {
        if (known is null)
        {
            session.Insert(candidate);
        }
        else
        {
            session.Update(candidate);
        }
    }
}

public static class CandidateConsumers
{
    public static void Register(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ProgramOpenedConsumer>();
        bus.AddConsumer<ParticipantEnrolledConsumer>();
        bus.AddConsumer<ParticipantProfileChangedConsumer>();
        bus.AddConsumer<ParticipantWithdrawnConsumer>();
        bus.AddConsumer<PlaceArrivals>(consumer => consumer.Options<BatchOptions>(batch => batch
            .SetMessageLimit(PlaceArrivals.MessageLimit)
            .SetTimeLimit(PlaceArrivals.TimeLimit)
            .SetConcurrencyLimit(1)));
    }
}

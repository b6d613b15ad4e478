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
            e.Message) { Reminders = e.Reminders };
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
        // A withdrawal can overtake its enrolment on the broker; its sighting keeps the person withdrawn, unless this is
        // the person enrolling again after it.
        var withdrawn = await EnrolmentSighting.WithdrawnSince(session, e.EnrolmentId, e.EnrolledAt, ct);
        var candidate = new Candidate(e.EnrolmentId, e.ProgramId, e.Role, e.ExternalId, e.Name, e.Email, e.Site, e.Topics,
            e.Modality, e.TimeZone, e.Capacity, e.EnrolledAt, Active: !withdrawn, e.JobRole, e.YearsExperience, e.Availability, e.Requests);
        var known = await session.LoadAsync<Candidate>(e.EnrolmentId, ct);
        if (known is not null && known.ProfileAt > e.EnrolledAt)
        {
            // A later profile change overtook this enrolment: keep its profile, take the enrolment's time and state.
            candidate = known with { EnrolledAt = e.EnrolledAt, Active = !withdrawn };
        }
        Sightings.Save(session, known, candidate);
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
        var withdrawn = await EnrolmentSighting.WithdrawnSince(session, e.EnrolmentId, e.EnrolledAt, ct);
        var candidate = new Candidate(e.EnrolmentId, e.ProgramId, e.Role, e.ExternalId, e.Name, e.Email, e.Site, e.Topics,
            e.Modality, e.TimeZone, e.Capacity, e.EnrolledAt, Active: known?.Active ?? !withdrawn, e.JobRole, e.YearsExperience,
            e.Availability, e.Requests, e.ChangedAt);
        Sightings.Save(session, known, candidate);
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
            Sightings.Save(session, candidate, candidate with { Active = false });
        }
        await Sightings.Note(session, e.EnrolmentId, () => new EnrolmentSighting(e.EnrolmentId, e.WithdrawnAt), s => s.Withdrawn(e.WithdrawnAt), ct);

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

/// <summary>
/// What Matching has heard of an enrolment apart from its candidate: the latest withdrawal, which may arrive before the
/// enrolment it ends (a sighting, README "Messages out of order").
/// </summary>
public sealed record EnrolmentSighting(Guid Id, DateTimeOffset WithdrawnAt)
{
    public EnrolmentSighting Withdrawn(DateTimeOffset at) => at > WithdrawnAt ? this with { WithdrawnAt = at } : this;

    /// <summary>Whether the person withdrew at or after <paramref name="enrolledAt"/> (an enrolment again after that is a new start).</summary>
    public static async Task<bool> WithdrawnSince(IDocumentSession session, Guid enrolmentId, DateTimeOffset enrolledAt, CancellationToken ct) =>
        await session.LoadAsync<EnrolmentSighting>(enrolmentId, ct) is { } sighting && sighting.WithdrawnAt >= enrolledAt;
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

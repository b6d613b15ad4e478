using System.Text.Json;
using System.Text.Json.Nodes;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Platform.Api;
using Torace.Scheduling.Engagements;

namespace Torace.UnitTests.Scheduling;

/// <summary>
/// Given the pairings of a speed-mentoring event (two rounds of 15 minutes from 15:30 UTC: Maria meets Sam then Lee, Ana
/// meets Lee then Sam) / When they arrive, are declined, completed or moved / Then one engagement for the whole event.
/// </summary>
public class SpeedEventTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset EventStart = new(2026, 9, 10, 15, 30, 0, TimeSpan.Zero);
    static readonly EngagementRules Rounds15 = EngagementRules.Default with { SessionMinutes = 15 };
    static readonly Guid ProgramId = Guid.NewGuid();
    static readonly Guid RunId = Guid.NewGuid();
    static readonly Participant Maria = new(Guid.NewGuid(), "Maria", "maria@a.org", "Lincoln", "America/Chicago");
    static readonly Participant Ana = new(Guid.NewGuid(), "Ana", "ana@a.org", "Hoover", "America/Chicago");
    static readonly Participant Sam = new(Guid.NewGuid(), "Sam", "sam@a.org", "Roosevelt", "America/New_York");
    static readonly Participant Lee = new(Guid.NewGuid(), "Lee", "lee@a.org", "Hoover", "Europe/London");

    /// <summary>One pairing as Matching publishes it: its one meeting numbered by its round, at its round's time.</summary>
    static MatchProposed Pairing(int round, Participant mentor, Participant mentee, bool pre = false) =>
        new("demo-a", ProgramId, Guid.NewGuid(), RunId, "Speed mentoring", mentor, [mentee],
            [new SessionPlan(round, "in-person", SpeedRounds.StartOf(EventStart, round, 15))], pre, true, [],
            new MatchMessage("Welcome", null), 1, [], Now, Rounds15, round, Rounds: 2);

    static readonly MatchProposed MariaSam = Pairing(1, Maria, Sam);
    static readonly MatchProposed AnaLee = Pairing(1, Ana, Lee);
    static readonly MatchProposed MariaLee = Pairing(2, Maria, Lee);
    static readonly MatchProposed AnaSam = Pairing(2, Ana, Sam);

    /// <summary>The engagement once these pairings arrived, in this order (the first starts it, the others join).</summary>
    static Engagement Given(params MatchProposed[] pairings)
    {
        var engagement = Engagement.Create(EngagementPlan.Schedule(pairings[0], Guid.NewGuid, Now));
        foreach (var pairing in pairings.Skip(1))
        {
            engagement = engagement.After(EngagementPlan.Join(engagement, pairing, Guid.NewGuid, Now));
        }
        return engagement;
    }

    static Engagement Everyone() => Given(MariaSam, AnaLee, MariaLee, AnaSam);

    static IEnumerable<(string Kind, int? Session)> TouchpointsOf(Engagement e, Participant who) =>
        e.Touchpoints.Where(t => t.RecipientId == who.EnrolmentId && t.Status != TouchpointStatus.Cancelled).Select(t => (t.Kind, t.SessionNumber));

    [Fact]
    public void The_pairings_of_both_rounds_make_one_engagement_with_a_session_per_round_and_each_person_asked_once()
    {
        var engagement = Everyone();

        Assert.Equal(EngagementPlan.SpeedEventId(MariaSam), engagement.Id);
        Assert.Equal([(1, EventStart), (2, EventStart.AddMinutes(15))], engagement.Sessions.Select(s => (s.Number, s.StartsAt!.Value)));
        Assert.Equal(
            [(1, Maria.Name, Sam.Name), (1, Ana.Name, Lee.Name), (2, Maria.Name, Lee.Name), (2, Ana.Name, Sam.Name)],
            engagement.Meetings!.Select(m => (m.Round, m.Mentor.Name, Assert.Single(m.Mentees).Name)));
        Assert.Equal([Maria.Name, Ana.Name], engagement.Mentors.Select(m => m.Name));
        Assert.Equal([Sam.Name, Lee.Name], engagement.Mentees.Select(m => m.Name));
        foreach (var person in new[] { Maria, Ana, Sam, Lee })
        {
            // One reminder the day before the event, one post-reflection after its last round: not one per round.
            Assert.Equal([("session-reminder", 1), ("post-reflection", 2)], TouchpointsOf(engagement, person));
        }
        Assert.Equal(EventStart.AddHours(-24), engagement.Touchpoints.First(t => t.Kind == TouchpointKinds.SessionReminder).DueAt);
        Assert.Equal([Maria.Name, Lee.Name, Ana.Name, Sam.Name], engagement.PeopleOf(2).Select(p => p.Name));
    }

    [Fact]
    public void Pairings_arriving_in_any_order_give_the_same_event_and_a_repeated_one_changes_nothing()
    {
        var late = Given(AnaSam, MariaLee, AnaLee, MariaSam);

        Assert.Equal(Everyone().Sessions.Select(s => s.StartsAt), late.Sessions.Select(s => s.StartsAt));
        Assert.Equal(4, late.Meetings!.Count);
        Assert.Equal(8, late.Touchpoints.Count);
        Assert.Empty(EngagementPlan.Join(late, MariaSam, Guid.NewGuid, Now));
    }

    [Fact]
    public void A_pre_reflection_is_asked_of_each_person_once_two_days_before_the_event()
    {
        var engagement = Given(Pairing(1, Maria, Sam, pre: true), Pairing(2, Maria, Lee, pre: true));

        Assert.Equal(1, engagement.Touchpoints.Count(t => t.Kind == TouchpointKinds.PreReflection && t.RecipientId == Maria.EnrolmentId));
        Assert.Equal(3, engagement.Touchpoints.Count(t => t.Kind == TouchpointKinds.PreReflection));
    }

    [Fact]
    public void A_declined_pairing_ends_only_itself_and_whoever_it_leaves_without_a_pairing_is_asked_nothing_more()
    {
        var engagement = Given(MariaSam, MariaLee);

        var declined = EngagementDecisions.Decline(engagement, MariaLee.MatchId, Lee.EnrolmentId, matchEnded: true, "double-booked", Now);
        var after = engagement.After(declined);

        Assert.Equal([typeof(MeetingLeft), typeof(ParticipantLeft)], declined.Select(e => e.GetType()));
        Assert.True(declined.OfType<MeetingLeft>().Single().PairingEnds); // its invite is cancelled (PairingEnded)
        Assert.Equal(Lee.EnrolmentId, declined.OfType<ParticipantLeft>().Single().EnrolmentId);
        Assert.Equal(EngagementStatus.Active, after.Status);
        Assert.Equal([(1, Maria.Name)], after.Meetings!.Select(m => (m.Round, m.Mentor.Name)));
        Assert.Empty(TouchpointsOf(after, Lee));
        Assert.Equal(2, TouchpointsOf(after, Maria).Count());
    }

    [Fact]
    public void The_last_pairing_declined_cancels_the_event()
    {
        var engagement = Given(MariaSam);

        var declined = EngagementDecisions.Decline(engagement, MariaSam.MatchId, Sam.EnrolmentId, matchEnded: true, null, Now);

        var cancelled = Assert.IsType<EngagementCancelled>(declined[^1]);
        Assert.Equal([MariaSam.MatchId], cancelled.Pairings); // its invites are cancelled with it
        Assert.Equal(EngagementStatus.Cancelled, engagement.After(declined).Status);
    }

    [Fact]
    public void The_program_cancelled_ends_the_event_with_every_pairing_still_meeting()
    {
        var everyone = Everyone();
        var engagement = everyone.After(EngagementDecisions.Decline(everyone, AnaSam.MatchId, Sam.EnrolmentId, matchEnded: true, null, Now));

        var cancelled = Assert.IsType<EngagementCancelled>(Assert.Single(EngagementDecisions.EndWithProgram(engagement, "budget", Now)));

        Assert.Equal([MariaSam.MatchId, AnaLee.MatchId, MariaLee.MatchId], cancelled.Pairings);
    }

    [Fact]
    public void A_mentor_who_withdraws_leaves_every_round_they_were_in()
    {
        var engagement = Everyone();

        var left = EngagementDecisions.Withdraw(engagement, Ana.EnrolmentId, "ill", Now);
        var after = engagement.After(left);

        Assert.Equal(2, left.OfType<MeetingLeft>().Count(m => m.PairingEnds));
        Assert.Equal([Maria.Name], after.Mentors.Select(m => m.Name));
        Assert.Equal([(1, Sam.Name), (2, Lee.Name)], after.Meetings!.Select(m => (m.Round, m.Mentees[0].Name)));
        Assert.Equal(EngagementStatus.Active, after.Status);
    }

    [Fact]
    public void Completing_each_round_names_its_people_and_the_rounds_with_every_post_reflection_complete_the_event()
    {
        var engagement = Given(MariaSam, MariaLee);

        var first = EngagementDecisions.CompleteSession(engagement, 1, true, null, Now);
        var round1 = Assert.IsType<SessionCompleted>(first[0]);
        Assert.Equal([Maria.Name, Sam.Name], round1.Participants.Select(p => p.Name));
        engagement = engagement.After(first).After(EngagementDecisions.CompleteSession(engagement.After(first), 2, true, null, Now));
        var events = new List<object>();
        foreach (var post in engagement.Touchpoints.Where(t => t.Kind == TouchpointKinds.PostReflection).ToList())
        {
            var submitted = EngagementDecisions.Submit(engagement, post.Id, "Three new contacts.", null, post.RecipientId, Now);
            events.AddRange(submitted);
            engagement = engagement.After(submitted);
        }

        Assert.Equal(EngagementStatus.Completed, engagement.Status);
        var completed = Assert.Single(events.OfType<EngagementCompleted>());
        Assert.Equal((2, 0.5), (completed.SessionsAttended, completed.HoursMet)); // two 15-minute rounds
    }

    [Fact]
    public void Participants_do_not_propose_event_dates_and_a_coordinator_moving_the_first_round_moves_every_round_per_pairing()
    {
        var engagement = Everyone();

        Assert.Equal(RejectionKind.Conflict, Assert.Throws<Rejected>(() => EngagementDecisions.SetDate(engagement, 1, EventStart.AddDays(1), null, null, Sam.EnrolmentId, Now)).Kind);
        Assert.Equal(RejectionKind.Conflict, Assert.Throws<Rejected>(() => EngagementDecisions.SetDate(engagement, 2, EventStart.AddDays(1), null, "later", null, Now)).Kind);
        var noReason = Assert.Throws<Rejected>(() => EngagementDecisions.SetDate(engagement, 1, EventStart.AddDays(1), null, null, null, Now));
        Assert.Equal((RejectionKind.Invalid, "reason"), (noReason.Kind, noReason.Field));

        var moved = EngagementDecisions.SetDate(engagement, 1, EventStart.AddDays(1), null, "the gym is booked", null, Now).Cast<SessionDateSet>().ToList();
        var after = engagement.After(moved);

        Assert.Equal(
            [(1, MariaSam.MatchId, EventStart.AddDays(1)), (1, AnaLee.MatchId, EventStart.AddDays(1)),
             (2, MariaLee.MatchId, EventStart.AddDays(1).AddMinutes(15)), (2, AnaSam.MatchId, EventStart.AddDays(1).AddMinutes(15))],
            moved.Select(e => (e.SessionNumber, e.MatchId, e.StartsAt)));
        Assert.All(moved, e => Assert.Equal(1, e.Sequence));
        Assert.Equal([Maria.Name, Sam.Name], moved[0].Participants.Select(p => p.Name));
        Assert.Equal([EventStart.AddDays(1), EventStart.AddDays(1).AddMinutes(15)], after.Sessions.Select(s => s.StartsAt!.Value));
        Assert.Equal(EventStart.AddDays(1).AddHours(-24), after.Touchpoints.First(t => t.Kind == TouchpointKinds.SessionReminder).DueAt);
    }

    [Fact]
    public void A_snapshot_stored_when_an_engagement_had_one_mentor_reads_that_mentor_into_mentors()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var stored = JsonNode.Parse(JsonSerializer.Serialize(
            Engagement.Create(EngagementPlan.Schedule(MariaSam with { Rounds = 1, Round = 1 }, Guid.NewGuid, Now)), web))!.AsObject();
        stored["mentor"] = stored["mentors"]![0]!.DeepClone();
        stored.Remove("mentors");

        var read = JsonSerializer.Deserialize<Engagement>(stored.ToJsonString(), web)!;

        Assert.Equal([Maria.EnrolmentId], read.Mentors.Select(m => m.EnrolmentId));
        Assert.DoesNotContain("\"mentor\"", JsonSerializer.Serialize(read, web), StringComparison.Ordinal);
    }
}

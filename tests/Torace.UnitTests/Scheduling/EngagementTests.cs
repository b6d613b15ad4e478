using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Platform.Api;
using Torace.Scheduling.Engagements;

namespace Torace.UnitTests.Scheduling;

/// <summary>Given a published match (and what happened since) / When a command or an alarm / Then these events and this state.</summary>
public class EngagementTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly Participant Mentor = new(Guid.NewGuid(), "Maria", "maria@a.org", "Lincoln", "America/Chicago");
    static readonly Participant Mentee = new(Guid.NewGuid(), "Sam", "sam@a.org", "Roosevelt", "America/New_York");
    static readonly Participant Lee = new(Guid.NewGuid(), "Lee", "lee@a.org", "Hoover", "Europe/London");

    static MatchProposed Match(IReadOnlyList<SessionPlan> sessions, bool pre = true, bool post = true, IReadOnlyList<TouchpointPlan>? between = null,
        IReadOnlyList<Participant>? mentees = null, EngagementRules? rules = null) =>
        new("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SEL", Mentor, mentees ?? [Mentee], sessions, pre, post,
            between ?? [], new MatchMessage("Welcome", null), 1, [], Now, rules);

    static Engagement Given(MatchProposed match, params object[] since) => Engagement.Create(EngagementPlan.Schedule(match, Guid.NewGuid, Now)).After(since);

    static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    static Touchpoint Of(Engagement e, string kind, Participant who, int? session = null) =>
        e.Touchpoints.Single(t => t.Kind == kind && t.RecipientId == who.EnrolmentId && (session is null || t.SessionNumber == session));

    /// <summary>Fires every alarm whose time has come, as the sweeper does, until none is left: the events, and the state after them.</summary>
    static (Engagement State, List<object> Events) Sweep(Engagement engagement, DateTimeOffset at)
    {
        var events = new List<object>();
        while (EngagementAlarms.Of(engagement, at).FirstOrDefault(a => a.At <= at) is { } alarm)
        {
            var fired = EngagementDecisions.Fire(engagement, alarm.Id, at);
            Assert.NotEmpty(fired);
            events.AddRange(fired);
            engagement = engagement.After(fired);
        }
        return (engagement, events);
    }

    [Fact]
    public void One_session_gives_each_participant_a_pre_reflection_at_9_local_two_days_before_a_reminder_24_h_before_and_a_post_reflection()
    {
        var session = Utc(9, 10, 20);

        var engagement = Given(Match([new(1, "virtual", session)]));

        Assert.Equal(Utc(9, 8, 14), Of(engagement, "pre-reflection", Mentor).DueAt); // 9 a.m. Chicago (CDT)
        Assert.Equal(Utc(9, 8, 13), Of(engagement, "pre-reflection", Mentee).DueAt); // 9 a.m. New York (EDT)
        Assert.Equal(session.AddHours(-24), Of(engagement, "session-reminder", Mentor).DueAt);
        Assert.Equal(session.AddHours(-24), Of(engagement, "session-reminder", Mentee).DueAt);
        Assert.Equal(Utc(9, 12, 14), Of(engagement, "post-reflection", Mentor).DueAt);
        Assert.Equal(Utc(9, 12, 13), Of(engagement, "post-reflection", Mentee).DueAt);
        Assert.Equal(6, engagement.Touchpoints.Count);
        Assert.All(engagement.Touchpoints, t => Assert.Equal(TouchpointStatus.Pending, t.Status));
    }

    [Fact]
    public void Two_sessions_give_each_mentee_the_between_session_touchpoint_with_its_prompt_and_the_mentor_none()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20)), new(2, "in-person", Utc(9, 24, 20))],
            between: [new TouchpointPlan(1, "work-product", 3, "Share the lesson plan you changed.")]));

        var between = Assert.Single(engagement.Touchpoints, t => t.Kind == "work-product");
        Assert.Equal(Mentee.EnrolmentId, between.RecipientId);
        Assert.Equal(Utc(9, 13, 13), between.DueAt);
        Assert.Equal("Share the lesson plan you changed.", between.Prompt);
        Assert.Equal(4, engagement.Touchpoints.Count(t => t.Kind == "session-reminder"));
        Assert.Equal(Utc(9, 26, 13), Of(engagement, "post-reflection", Mentee).DueAt);
    }

    [Fact]
    public void Three_sessions_give_a_touchpoint_after_each_of_the_first_two_and_a_reminder_before_each()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20)), new(2, "virtual", Utc(9, 17, 20)), new(3, "virtual", Utc(9, 24, 20))],
            between: [new TouchpointPlan(1, "action-steps", 2), new TouchpointPlan(2, "plan-feedback", 2)]));

        Assert.Equal(
            [("pre-reflection", 1), ("pre-reflection", 1), ("session-reminder", 1), ("session-reminder", 1), ("action-steps", 1),
             ("session-reminder", 2), ("session-reminder", 2), ("plan-feedback", 2), ("session-reminder", 3), ("session-reminder", 3),
             ("post-reflection", 3), ("post-reflection", 3)],
            engagement.Touchpoints.Select(t => (t.Kind, t.SessionNumber!.Value)));
        Assert.Equal([Utc(9, 12, 13), Utc(9, 19, 13)], engagement.Touchpoints.Where(t => t.AfterDays is not null).Select(t => t.DueAt!.Value));
    }

    [Fact]
    public void A_coaching_group_is_one_engagement_in_which_every_mentee_has_their_own_touchpoints()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20)), new(2, "virtual", Utc(9, 17, 20))],
            between: [new TouchpointPlan(1, "action-steps", 3)], mentees: [Mentee, Lee]));

        Assert.Equal([Mentee.EnrolmentId, Lee.EnrolmentId], engagement.Touchpoints.Where(t => t.Kind == "action-steps").Select(t => t.RecipientId));
        Assert.Equal(3, engagement.Touchpoints.Count(t => t.Kind == "pre-reflection"));
        Assert.Equal(Utc(9, 8, 8), Of(engagement, "pre-reflection", Lee).DueAt); // 9 a.m. London (BST)
    }

    [Fact]
    public void Without_a_date_nothing_before_the_session_is_due_and_the_post_reflection_follows_the_completion()
    {
        var engagement = Given(Match([new(1, "virtual", null)]));
        Assert.All(engagement.Touchpoints, t => Assert.Null(t.DueAt));
        Assert.DoesNotContain(EngagementAlarms.Of(engagement, Now), a => a.Kind == AlarmKinds.Due);

        var done = engagement.After(EngagementDecisions.CompleteSession(engagement, 1, attended: true, null, Utc(9, 3, 21)));

        Assert.Equal(Utc(9, 5, 13), Of(done, "post-reflection", Mentee).DueAt);
        Assert.Null(Of(done, "pre-reflection", Mentee).DueAt);
        Assert.Equal(TouchpointStatus.Pending, Of(done, "post-reflection", Mentee).Status);
    }

    [Theory]
    [InlineData("America/New_York", "2027-03-16T15:00Z", "2027-03-14T13:00Z")] // 9 a.m. EDT on the day clocks go forward
    [InlineData("America/New_York", "2026-11-03T15:00Z", "2026-11-01T14:00Z")] // 9 a.m. EST on the day clocks go back
    [InlineData("Europe/London", "2027-03-30T15:00Z", "2027-03-28T08:00Z")]    // 9 a.m. BST
    [InlineData("Europe/London", "2026-10-27T15:00Z", "2026-10-25T09:00Z")]    // 9 a.m. GMT
    public void A_reflection_due_on_a_daylight_saving_day_is_due_at_9_local_and_goes_out_once(string zone, string session, string expected)
    {
        var mentee = Mentee with { TimeZone = zone };
        var engagement = Given(Match([new(1, "virtual", DateTimeOffset.Parse(session))], post: false, mentees: [mentee]));
        var pre = Of(engagement, "pre-reflection", mentee);
        Assert.Equal(DateTimeOffset.Parse(expected), pre.DueAt);

        var (after, events) = Sweep(engagement, pre.DueAt!.Value.AddHours(3));

        Assert.Single(events.OfType<TouchpointBecameDue>(), e => e.TouchpointId == pre.Id);
        Assert.DoesNotContain(EngagementAlarms.Of(after, pre.DueAt.Value.AddDays(1)), a => a.TouchpointId == pre.Id && a.Kind == AlarmKinds.Due);
    }

    [Fact]
    public void A_reminder_that_falls_in_the_quiet_hours_waits_for_7_local_unless_the_program_turns_quiet_hours_off()
    {
        // A session at 22:30 New York time: its reminder, 24 h before, would go out at 22:30 the evening before.
        var session = Utc(9, 11, 2, 30);
        var quiet = Given(Match([new(1, "virtual", session)], pre: false, post: false));
        var loud = Given(Match([new(1, "virtual", session)], pre: false, post: false, rules: EngagementRules.Default with { QuietHours = false }));

        Assert.Equal(Utc(9, 10, 11), EngagementAlarms.Of(quiet, Now).Single(a => a.TouchpointId == Of(quiet, "session-reminder", Mentee).Id).At); // 7 a.m. EDT
        Assert.Equal(session.AddHours(-24), EngagementAlarms.Of(loud, Now).Single(a => a.TouchpointId == Of(loud, "session-reminder", Mentee).Id).At);
    }

    [Fact]
    public void A_touchpoint_already_past_due_goes_out_now_or_at_7_local_when_now_is_night_for_its_recipient()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 2, 20))], post: false));
        var pre = Of(engagement, "pre-reflection", Mentee);
        var daytime = Utc(9, 1, 15);  // 11 a.m. in New York
        var night = Utc(9, 2, 3);     // 11 p.m. in New York

        Assert.Equal(Now, pre.DueAt); // due from the moment the match made the date known, not "yesterday at 9"
        Assert.Equal(Utc(9, 1, 11), EngagementAlarms.Of(engagement, daytime).Single(a => a.TouchpointId == pre.Id).At); // 4 a.m. in New York: 7 a.m.
        Assert.Equal(Utc(9, 2, 11), EngagementAlarms.Of(engagement, night).Single(a => a.TouchpointId == pre.Id).At);
    }

    [Fact]
    public void A_date_a_participant_proposes_is_confirmed_by_the_other_side_and_then_plans_the_reminders()
    {
        var engagement = Given(Match([new(1, "virtual", null)]));
        var date = Utc(9, 15, 20);

        var proposed = Assert.IsType<SessionDateProposed>(Assert.Single(EngagementDecisions.SetDate(engagement, 1, date, "in-person", null, Mentee.EnrolmentId, Now)));
        var waiting = engagement.After(proposed);
        Assert.Contains(AttentionReason.UnconfirmedDate, waiting.Attention);
        Assert.Null(Of(waiting, "session-reminder", Mentor).DueAt);
        Assert.Empty(EngagementDecisions.SetDate(waiting, 1, date, "in-person", null, Mentee.EnrolmentId, Now));
        Assert.Equal(RejectionKind.Conflict, Assert.Throws<Rejected>(() => EngagementDecisions.ConfirmDate(waiting, 1, Mentee.EnrolmentId, Now)).Kind);

        var set = Assert.IsType<SessionDateSet>(Assert.Single(EngagementDecisions.ConfirmDate(waiting, 1, Mentor.EnrolmentId, Now)));
        var confirmed = waiting.After(set);

        Assert.Equal((date, "in-person", 0, (DateTimeOffset?)null), (set.StartsAt, set.Modality, set.Sequence, set.PreviousStartsAt));
        Assert.Equal(SessionStatus.Scheduled, confirmed.Session(1)!.Status);
        Assert.Null(confirmed.Session(1)!.Proposal);
        Assert.Equal(date.AddHours(-24), Of(confirmed, "session-reminder", Mentor).DueAt);
        Assert.DoesNotContain(AttentionReason.UnconfirmedDate, confirmed.Attention);
    }

    [Fact]
    public void A_counter_proposal_replaces_the_first_and_the_same_date_proposed_back_confirms_it()
    {
        var engagement = Given(Match([new(1, "virtual", null)]));
        var first = engagement.After(EngagementDecisions.SetDate(engagement, 1, Utc(9, 15, 20), null, null, Mentee.EnrolmentId, Now));

        var counter = Assert.IsType<SessionDateProposed>(Assert.Single(EngagementDecisions.SetDate(first, 1, Utc(9, 16, 20), null, "Tuesdays I teach late", Mentor.EnrolmentId, Now)));
        var countered = first.After(counter);
        Assert.Equal((Utc(9, 16, 20), Mentor.EnrolmentId), (countered.Session(1)!.Proposal!.StartsAt, countered.Session(1)!.Proposal!.ProposedBy));

        Assert.IsType<SessionDateSet>(Assert.Single(EngagementDecisions.SetDate(countered, 1, Utc(9, 16, 20), null, null, Mentee.EnrolmentId, Now)));
    }

    [Fact]
    public void Moving_a_date_needs_a_reason_raises_the_sequence_and_plans_a_sent_reminder_again_for_the_new_date()
    {
        var session = Utc(9, 10, 20);
        var engagement = Given(Match([new(1, "virtual", session)], pre: false, post: false));
        var (reminded, _) = Sweep(engagement, session.AddHours(-23));
        var reminder = Of(reminded, "session-reminder", Mentee);
        Assert.Equal(TouchpointStatus.Sent, reminder.Status);

        var noReason = Assert.Throws<Rejected>(() => EngagementDecisions.SetDate(reminded, 1, session.AddDays(7), null, null, null, Now));
        Assert.Equal((RejectionKind.Invalid, "reason"), (noReason.Kind, noReason.Field));

        var moved = Assert.IsType<SessionDateSet>(Assert.Single(EngagementDecisions.SetDate(reminded, 1, session.AddDays(7), null, "sick day", null, Now)));
        var after = reminded.After(moved);

        Assert.Equal((1, (DateTimeOffset?)session), (moved.Sequence, moved.PreviousStartsAt));
        var again = Of(after, "session-reminder", Mentee);
        Assert.Equal((TouchpointStatus.Pending, session.AddDays(6), 1), (again.Status, again.DueAt!.Value, again.Occurrence));
        var alarm = EngagementAlarms.Of(after, Now).Single(a => a.TouchpointId == again.Id);
        Assert.DoesNotContain(EngagementAlarms.Of(engagement, Now), a => a.Id == alarm.Id);
        Assert.Empty(Sweep(after, session.AddHours(1)).Events.OfType<TouchpointBecameDue>()); // nothing for the old date
    }

    [Fact]
    public void A_touchpoint_overdue_by_the_programs_setting_is_nudged_once_then_missed()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20))], post: false, rules: EngagementRules.Default with { NudgeAfterDays = 2 }));
        var pre = Of(engagement, "pre-reflection", Mentee);
        var (due, _) = Sweep(engagement, pre.DueAt!.Value);

        var (late, nudges) = Sweep(due, pre.DueAt.Value.AddDays(2).AddHours(1));
        var nudge = Assert.Single(nudges.OfType<TouchpointBecameDue>(), e => e.TouchpointId == pre.Id);
        Assert.True(nudge.Nudge);
        Assert.Equal(TouchpointStatus.Late, Of(late, "pre-reflection", Mentee).Status);
        Assert.Contains(AttentionReason.Overdue, late.Attention);

        var (missed, misses) = Sweep(late, pre.DueAt.Value.AddDays(7));
        Assert.DoesNotContain(misses.OfType<TouchpointBecameDue>(), e => e.TouchpointId == pre.Id);
        Assert.Single(misses.OfType<TouchpointMissed>(), e => e.TouchpointId == pre.Id);
        Assert.Equal(TouchpointStatus.Missed, Of(missed, "pre-reflection", Mentee).Status);
    }

    [Fact]
    public void A_submission_cancels_the_nudge_and_only_its_recipient_may_submit_it()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20))], post: false));
        var pre = Of(engagement, "pre-reflection", Mentee);
        var (due, _) = Sweep(engagement, pre.DueAt!.Value);

        Assert.Equal(RejectionKind.Forbidden, Assert.Throws<Rejected>(() => EngagementDecisions.Submit(due, pre.Id, "mine?", null, Mentor.EnrolmentId, Now)).Kind);
        var submitted = Assert.IsType<TouchpointSubmitted>(Assert.Single(EngagementDecisions.Submit(due, pre.Id, "Ready.", "https://docs.example.org/plan", Mentee.EnrolmentId, Now)));
        var after = due.After(submitted);

        Assert.Equal(("Ready.", "https://docs.example.org/plan"), (Of(after, "pre-reflection", Mentee).Response, Of(after, "pre-reflection", Mentee).Link));
        Assert.DoesNotContain(EngagementAlarms.Of(after, Now), a => a.TouchpointId == pre.Id);
        Assert.Empty(EngagementDecisions.Submit(after, pre.Id, "Again", null, null, Now));
        Assert.Equal(RejectionKind.Conflict, Assert.Throws<Rejected>(() =>
            EngagementDecisions.Submit(after, Of(after, "session-reminder", Mentee).Id, null, null, null, Now)).Kind);
    }

    [Fact]
    public void The_mentor_gives_feedback_on_a_mentees_submitted_report_and_nobody_else_does()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20)), new(2, "virtual", Utc(9, 17, 20))], between: [new TouchpointPlan(1, "work-product", 2)]));
        var report = Of(engagement, "work-product", Mentee);

        Assert.Equal(RejectionKind.Conflict, Assert.Throws<Rejected>(() => EngagementDecisions.GiveFeedback(engagement, report.Id, "Nice", Mentor.EnrolmentId, Now)).Kind);
        var submitted = engagement.After(EngagementDecisions.Submit(engagement, report.Id, "My plan", null, Mentee.EnrolmentId, Now));
        Assert.Equal(RejectionKind.Forbidden, Assert.Throws<Rejected>(() => EngagementDecisions.GiveFeedback(submitted, report.Id, "Nice", Mentee.EnrolmentId, Now)).Kind);

        var feedback = Assert.IsType<FeedbackGiven>(Assert.Single(EngagementDecisions.GiveFeedback(submitted, report.Id, "Strong plan", Mentor.EnrolmentId, Now)));

        Assert.Equal("Strong plan", Of(submitted.After(feedback), "work-product", Mentee).Feedback);
    }

    [Fact]
    public void The_last_session_and_every_post_reflection_complete_the_engagement_with_the_hours_met()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20)), new(2, "virtual", Utc(9, 17, 20))], pre: false));
        var sessions = engagement.After(EngagementDecisions.CompleteSession(engagement, 1, true, null, Now));
        var last = EngagementDecisions.CompleteSession(sessions, 2, true, "Good close", Now);
        Assert.DoesNotContain(last, e => e is EngagementCompleted);
        var done = sessions.After(last);

        var mentor = done.After(EngagementDecisions.Submit(done, Of(done, "post-reflection", Mentor).Id, "Done", null, null, Now));
        var completing = EngagementDecisions.Submit(mentor, Of(mentor, "post-reflection", Mentee).Id, "Thanks", null, null, Now);

        var completed = Assert.IsType<EngagementCompleted>(completing[^1]);
        Assert.Equal((2, 1.5, false), (completed.SessionsAttended, completed.HoursMet, completed.Early));
        Assert.Empty(EngagementAlarms.Of(mentor.After(completing), Now));
    }

    [Fact]
    public void A_post_reflection_whose_window_closes_completes_the_engagement_too()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20))], pre: false));
        var done = engagement.After(EngagementDecisions.CompleteSession(engagement, 1, true, null, Utc(9, 10, 21)));

        var (after, events) = Sweep(done, Utc(9, 30, 0));

        Assert.Equal(2, events.OfType<TouchpointMissed>().Count());
        Assert.Single(events.OfType<EngagementCompleted>());
        Assert.Equal(EngagementStatus.Completed, after.Status);
    }

    [Fact]
    public void A_no_show_is_recorded_for_the_coordinator_its_reminders_stop_and_it_meets_no_hours()
    {
        var session = Utc(9, 10, 20);
        var engagement = Given(Match([new(1, "virtual", session), new(2, "virtual", Utc(9, 17, 20))], pre: false, post: false));

        var events = EngagementDecisions.CompleteSession(engagement, 1, attended: false, "Mentee did not come", session.AddHours(-30));
        var after = engagement.After(events);

        Assert.False(Assert.IsType<SessionCompleted>(events[0]).Attended);
        Assert.Equal(2, events.OfType<TouchpointCancelled>().Count());
        Assert.Equal(SessionStatus.NoShow, after.Session(1)!.Status);
        Assert.Contains(AttentionReason.NoShow, after.Attention);
        var closed = Assert.IsType<EngagementCompleted>(Assert.Single(EngagementDecisions.CompleteEarly(after, "the mentee left teaching", Now)));
        Assert.Equal((0, 0.0, true), (closed.SessionsAttended, closed.HoursMet, closed.Early));
    }

    [Fact]
    public void An_engagement_with_no_activity_stalls_once_and_activity_restarts_the_clock()
    {
        var engagement = Given(Match([new(1, "virtual", null)], pre: false));

        var (stalled, events) = Sweep(engagement, Now.AddDays(10).AddMinutes(1));
        var told = Assert.Single(events.OfType<EngagementStalled>());
        Assert.Equal(engagement.Participants.Select(p => p.EnrolmentId), told.Participants!.Select(p => p.EnrolmentId)); // the digest names them
        Assert.Equal(engagement.ProgramName, told.ProgramName);
        Assert.Contains(AttentionReason.Stalled, stalled.Attention);
        Assert.Empty(Sweep(stalled, Now.AddDays(30)).Events);

        var active = stalled.After(EngagementDecisions.SetDate(stalled, 1, Now.AddDays(40), null, null, null, Now.AddDays(31)));
        var stall = EngagementAlarms.Of(active, Now.AddDays(31)).Single(a => a.Kind == AlarmKinds.Stall);
        Assert.Equal(Now.AddDays(50), stall.At); // waiting for a dated session is not stalling
    }

    [Fact]
    public void A_declined_match_cancels_the_engagement_and_leaves_no_alarm()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20))]));

        var cancelled = Assert.IsType<EngagementCancelled>(Assert.Single(EngagementDecisions.Decline(engagement, engagement.MatchId, Mentee.EnrolmentId, matchEnded: true, "moved schools", Now)));
        var after = engagement.After(cancelled);

        Assert.Equal(EngagementStatus.Cancelled, after.Status);
        Assert.Empty(EngagementAlarms.Of(after, Now));
        Assert.Throws<Rejected>(() => EngagementDecisions.CompleteSession(after, 1, true, null, Now));
    }

    [Fact]
    public void A_group_mentee_who_withdraws_leaves_the_others_engaged_and_is_no_longer_reminded()
    {
        var engagement = Given(Match([new(1, "virtual", Utc(9, 10, 20))], mentees: [Mentee, Lee]));

        var left = Assert.IsType<ParticipantLeft>(Assert.Single(EngagementDecisions.Withdraw(engagement, Mentee.EnrolmentId, "new job", Now)));
        var after = engagement.After(left);

        Assert.Equal(EngagementStatus.Active, after.Status);
        Assert.All(after.Touchpoints.Where(t => t.RecipientId == Mentee.EnrolmentId), t => Assert.Equal(TouchpointStatus.Cancelled, t.Status));
        var recipients = Sweep(after, Utc(9, 10, 12)).Events.OfType<TouchpointBecameDue>().SelectMany(e => e.Recipients).Select(r => r.Name).Distinct();
        Assert.Equal(["Maria", "Lee"], recipients.Order().Reverse());
        Assert.IsType<EngagementCancelled>(Assert.Single(EngagementDecisions.Withdraw(after, Mentor.EnrolmentId, null, Now)));
    }
}

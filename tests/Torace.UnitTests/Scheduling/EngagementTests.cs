using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Platform.Api;
using Torace.Scheduling.Engagements;

namespace Torace.UnitTests.Scheduling;

public class EngagementTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly Participant Mentor = new(Guid.NewGuid(), "Maria", "maria@a.org", "Lincoln", "America/Chicago");
    static readonly Participant Mentee = new(Guid.NewGuid(), "Sam", "sam@a.org", "Roosevelt", "America/New_York");

    static MatchProposed Match(IReadOnlyList<SessionPlan> sessions, bool pre = true, bool post = true, IReadOnlyList<TouchpointPlan>? between = null) =>
        new("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SEL", Mentor, [Mentee], sessions, pre, post,
            between ?? [], new MatchMessage("Welcome", null), 1, [], Now);

    static Engagement Given(EngagementScheduled scheduled) => Engagement.Create(scheduled);

    [Fact]
    public void A_two_session_match_gets_every_default_touchpoint_at_its_time()
    {
        var first = Now.AddDays(7);
        var second = Now.AddDays(14);

        var scheduled = EngagementPlan.Schedule(
            Match([new(1, "virtual", first), new(2, "in-person", second)], between: [new TouchpointPlan(1, "work-product", 3)]),
            Guid.NewGuid, Now);

        Assert.Equal(
            [
                ("pre-reflection", first.AddDays(-2)),
                ("session-reminder", first.AddHours(-24)),
                ("work-product", first.AddDays(3)),
                ("session-reminder", second.AddHours(-24)),
                ("post-reflection", second.AddDays(2)),
            ],
            scheduled.Touchpoints.Select(t => (t.Kind, t.DueAt)));
        Assert.Equal([Mentee.EnrolmentId], scheduled.Touchpoints.Single(t => t.Kind == "work-product").RecipientIds);
    }

    [Fact]
    public void A_touchpoint_already_past_due_when_scheduled_is_due_at_once()
    {
        var tomorrow = Now.AddDays(1);

        var scheduled = EngagementPlan.Schedule(Match([new(1, "virtual", tomorrow)], post: false), Guid.NewGuid, Now);

        Assert.Equal(Now, scheduled.Touchpoints.Single(t => t.Kind == "pre-reflection").DueAt);
        Assert.Equal(tomorrow.AddHours(-24), scheduled.Touchpoints.Single(t => t.Kind == "session-reminder").DueAt);
    }

    [Fact]
    public void Marking_a_touchpoint_due_names_its_recipients_once()
    {
        var engagement = Given(EngagementPlan.Schedule(Match([new(1, "virtual", Now.AddDays(7))], post: false), Guid.NewGuid, Now));
        var pre = engagement.Touchpoints.Single(t => t.Kind == "pre-reflection");

        var due = Assert.IsType<TouchpointBecameDue>(Assert.Single(EngagementDecisions.MarkDue(engagement, pre.Id)));

        Assert.Equal(["Maria", "Sam"], due.Recipients.Select(r => r.Name));
        Assert.Empty(EngagementDecisions.MarkDue(engagement.Apply(due), pre.Id));
    }

    [Fact]
    public void Completing_the_last_session_completes_the_engagement()
    {
        var engagement = Given(EngagementPlan.Schedule(Match([new(1, "virtual", null), new(2, "virtual", null)]), Guid.NewGuid, Now));

        var afterFirst = EngagementDecisions.CompleteSession(engagement, 1, Now);
        Assert.IsType<SessionCompleted>(Assert.Single(afterFirst));
        engagement = engagement.Apply((SessionCompleted)afterFirst[0]);

        var afterSecond = EngagementDecisions.CompleteSession(engagement, 2, Now);
        Assert.Equal([typeof(SessionCompleted), typeof(EngagementCompleted)], afterSecond.Select(e => e.GetType()));
        Assert.Empty(EngagementDecisions.CompleteSession(engagement.Apply((SessionCompleted)afterSecond[0]), 2, Now));
    }

    [Fact]
    public void Completing_a_session_that_does_not_exist_is_not_found()
    {
        var engagement = Given(EngagementPlan.Schedule(Match([new(1, "virtual", null)]), Guid.NewGuid, Now));

        Assert.Equal(RejectionKind.NotFound, Assert.Throws<Rejected>(() => EngagementDecisions.CompleteSession(engagement, 4, Now)).Kind);
    }

    [Fact]
    public void A_reflection_is_submitted_once_and_a_reminder_takes_no_submission()
    {
        var engagement = Given(EngagementPlan.Schedule(Match([new(1, "virtual", Now.AddDays(3))]), Guid.NewGuid, Now));
        var post = engagement.Touchpoints.Single(t => t.Kind == "post-reflection");
        var reminder = engagement.Touchpoints.Single(t => t.Kind == "session-reminder");

        var submitted = Assert.IsType<TouchpointSubmitted>(Assert.Single(EngagementDecisions.Submit(engagement, post.Id, "It helped.", Now)));

        Assert.Empty(EngagementDecisions.Submit(engagement.Apply(submitted), post.Id, "Again", Now));
        Assert.Equal(RejectionKind.Conflict, Assert.Throws<Rejected>(() => EngagementDecisions.Submit(engagement, reminder.Id, null, Now)).Kind);
    }

    [Fact]
    public void A_declined_match_cancels_the_engagement_and_its_reminders_stop()
    {
        var engagement = Given(EngagementPlan.Schedule(Match([new(1, "virtual", Now.AddDays(7))]), Guid.NewGuid, Now));

        var cancelled = Assert.IsType<EngagementCancelled>(Assert.Single(EngagementDecisions.Decline(engagement, Mentee.EnrolmentId, matchEnded: true, "moved schools", Now)));
        var after = engagement.Apply(cancelled);

        Assert.Equal(EngagementStatus.Cancelled, after.Status);
        Assert.Empty(EngagementDecisions.MarkDue(after, after.Touchpoints[0].Id));
        Assert.Throws<Rejected>(() => EngagementDecisions.CompleteSession(after, 1, Now));
    }

    [Fact]
    public void A_group_mentee_who_declines_leaves_the_others_engaged_and_is_no_longer_reminded()
    {
        var other = new Participant(Guid.NewGuid(), "Lee", "lee@a.org", "Hoover", "America/Chicago");
        var group = Match([new(1, "virtual", Now.AddDays(7))]) with { Mentees = [Mentee, other] };
        var engagement = Given(EngagementPlan.Schedule(group, Guid.NewGuid, Now));

        var left = Assert.IsType<ParticipantLeft>(Assert.Single(EngagementDecisions.Decline(engagement, Mentee.EnrolmentId, matchEnded: false, null, Now)));
        var after = engagement.Apply(left);

        Assert.Equal(EngagementStatus.Active, after.Status);
        var due = Assert.IsType<TouchpointBecameDue>(Assert.Single(EngagementDecisions.MarkDue(after, after.Touchpoints.First(t => t.Kind == "pre-reflection").Id)));
        Assert.DoesNotContain(due.Recipients, r => r.EnrolmentId == Mentee.EnrolmentId);
        Assert.Contains(due.Recipients, r => r.EnrolmentId == other.EnrolmentId);
    }
}

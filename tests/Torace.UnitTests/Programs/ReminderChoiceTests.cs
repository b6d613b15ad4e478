using Torace.Contracts.Programs;
using Torace.Notifications.Reminders;
using Torace.Programs.Enrolment;

namespace Torace.UnitTests.Programs;

/// <summary>Given an enrolment / When its reminders are stopped or resumed / Then the event, or nothing when it already holds; and Notifications keeps the latest choice.</summary>
public class ReminderChoiceTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    static Enrolment Given(params object[] after) => after.Aggregate(Enrolment.Create(ProgramLifecycleTests.Enrolled("T-9")), (state, e) => e switch
    {
        RemindersStopped s => state.Apply(s),
        RemindersResumed r => state.Apply(r),
        _ => throw new ArgumentException(e.GetType().Name),
    });

    [Fact]
    public void Stopping_reminders_records_who_asked_and_when()
    {
        var enrolment = Given();

        var stopped = Assert.IsType<RemindersStopped>(Assert.Single(EnrolmentDecisions.SetReminders(enrolment, true, "participant:me", Now)));

        Assert.Equal(("participant:me", Now), (stopped.By, stopped.StoppedAt));
        Assert.Equal(Now, enrolment.Apply(stopped).RemindersStoppedAt);
    }

    [Fact]
    public void Asking_for_what_already_holds_changes_nothing_and_resuming_clears_the_stop()
    {
        var enrolment = Given();
        var stopped = new RemindersStopped(enrolment.Profile.ProgramId, enrolment.Id, "participant:me", Now);

        Assert.Empty(EnrolmentDecisions.SetReminders(enrolment, false, "coordinator:u-1", Now));
        Assert.Empty(EnrolmentDecisions.SetReminders(Given(stopped), true, "coordinator:u-1", Now.AddHours(1)));
        var resumed = Assert.IsType<RemindersResumed>(Assert.Single(EnrolmentDecisions.SetReminders(Given(stopped), false, "coordinator:u-1", Now.AddHours(1))));
        Assert.Null(Given(stopped, resumed).RemindersStoppedAt);
    }

    [Fact]
    public void Notifications_keeps_the_later_choice_whatever_order_they_arrive_in()
    {
        var enrolment = Guid.NewGuid();
        var stop = new ParticipantRemindersChanged("demo-a", Guid.NewGuid(), enrolment, true, Now);
        var resume = stop with { Stopped = false, ChangedAt = Now.AddMinutes(5) };

        Assert.False(ReminderChoice.Latest(ReminderChoice.Latest(null, stop), resume).Stopped);
        Assert.False(ReminderChoice.Latest(ReminderChoice.Latest(null, resume), stop).Stopped);
        Assert.True(ReminderChoice.Latest(null, stop).Stopped);
    }
}

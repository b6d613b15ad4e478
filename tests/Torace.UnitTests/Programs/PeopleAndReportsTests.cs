using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Scheduling;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;
using Torace.Programs.People;
using Torace.Programs.Reports;

namespace Torace.UnitTests.Programs;

/// <summary>Given enrolments and the events Programs heard from Matching and Scheduling, when a page or report is read, then these are its numbers.</summary>
public class PeopleAndReportsTests
{
    static readonly DateTimeOffset Now = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
    static readonly Guid ProgramId = Guid.NewGuid();
    static readonly ProgramState Program = ProgramState.Create(ProgramDecisions.Create(ProgramId, ProgramLifecycleTests.Definition() with { SessionMinutes = 60 }, Now.AddDays(-10)));

    static Enrolment Enrolled(string externalId, string role, string site, DateTimeOffset at, string? jobRole = null) =>
        Enrolment.Create(new ParticipantEnrolled(ProgramId, Enrolment.IdFor(ProgramId, role, externalId), role, externalId, externalId, $"{externalId}@a.org",
            site, ["sel"], "virtual", "UTC", role == Roles.Mentor ? 3 : 0, at, jobRole));

    static Participant P(Enrolment e) => new(e.Id, e.Profile.Name, e.Profile.Email, e.Profile.Site, "UTC");

    static MatchProposed Proposed(Guid matchId, Enrolment mentor, DateTimeOffset at, params Enrolment[] mentees) =>
        new("demo-a", ProgramId, matchId, Guid.NewGuid(), "SEL", P(mentor), [.. mentees.Select(P)], [], true, true, [], new MatchMessage("Hi", null), 1, [], at);

    static readonly Enrolment Maria = Enrolled("maria", Roles.Mentor, "Lincoln", Now.AddDays(-9));
    static readonly Enrolment Idle = Enrolled("idle", Roles.Mentor, "Lincoln", Now.AddDays(-9));
    static readonly Enrolment Sam = Enrolled("sam", Roles.Mentee, "Roosevelt", Now.AddDays(-8), "teacher");
    static readonly Enrolment Ana = Enrolled("ana", Roles.Mentee, "Roosevelt", Now.AddDays(-8).AddHours(-10), "counselor");
    static readonly Enrolment Kim = Enrolled("kim", Roles.Mentee, "Lincoln", Now.AddDays(-8), "teacher");

    static readonly Guid MatchId = Guid.NewGuid();
    static readonly Guid EngagementId = Guid.NewGuid();
    static readonly Guid PreReflection = Guid.NewGuid();
    static readonly Guid ActionSteps = Guid.NewGuid();

    /// <summary>Maria mentors Sam and Ana (matched 2 and 12 hours after enrolling); session 1 done; Sam reflected on time, Ana late; action steps missed.</summary>
    static (MatchRecord Match, EngagementRecord Engagement) Walk()
    {
        var match = MatchRecord.Empty(MatchId, ProgramId).Apply(Proposed(MatchId, Maria, Now.AddDays(-8).AddHours(2), Sam, Ana));
        var engagement = new object[]
        {
            // Arrival order is not publication order: the completion comes before the scheduling.
            new SessionCompleted("demo-a", ProgramId, EngagementId, 1, "SEL", [P(Maria), P(Sam), P(Ana)], Now.AddDays(-3)),
            new EngagementScheduled("demo-a", ProgramId, EngagementId, MatchId, [new SessionPlan(1, "virtual", null), new SessionPlan(2, "virtual", null)], 2, Now.AddDays(-8)),
            new TouchpointDue("demo-a", ProgramId, EngagementId, PreReflection, "pre-reflection", 1, Now.AddDays(-5), "SEL", [P(Sam), P(Ana)]),
            new TouchpointSubmitted("demo-a", ProgramId, EngagementId, PreReflection, "pre-reflection", Now.AddDays(-6)),
            new TouchpointDue("demo-a", ProgramId, EngagementId, PreReflection, "pre-reflection", 1, Now.AddDays(-2), "SEL", [P(Sam), P(Ana)]),
            new TouchpointDue("demo-a", ProgramId, EngagementId, ActionSteps, "action-steps", 1, Now.AddDays(-1), "SEL", [P(Sam)]),
            new TouchpointDue("demo-a", ProgramId, EngagementId, Guid.NewGuid(), "session-reminder", 2, Now.AddDays(-1), "SEL", [P(Maria), P(Sam), P(Ana)]),
        }.Aggregate(EngagementRecord.Empty(EngagementId, ProgramId), (state, e) => e switch
        {
            SessionCompleted s => state.Apply(s).Apply(s),
            EngagementScheduled s => state.Apply(s),
            TouchpointDue d => state.Apply(d),
            TouchpointSubmitted s => state.Apply(s),
            _ => throw new ArgumentException(e.GetType().Name),
        });
        return (match, engagement);
    }

    static PersonFacts FactsFor(params Enrolment[] enrolments)
    {
        var (match, engagement) = Walk();
        return new PersonFacts(enrolments, new Dictionary<Guid, ProgramState> { [ProgramId] = Program }, [match], [engagement]);
    }

    [Fact]
    public void Events_arriving_in_any_order_and_twice_leave_the_same_engagement_record()
    {
        var (_, engagement) = Walk();

        Assert.Equal(MatchId, engagement.MatchId);
        Assert.Equal(2, engagement.SessionsPlanned);
        Assert.Single(engagement.Sessions);
        var reflection = engagement.Touchpoints.Single(t => t.Id == PreReflection);
        Assert.Equal(Now.AddDays(-5), reflection.DueAt);
        Assert.Equal(Now.AddDays(-6), reflection.SubmittedAt);
    }

    [Fact]
    public void A_persons_page_shows_their_enrolment_match_and_engagement()
    {
        var page = PersonPages.Person("sam", FactsFor(Sam));

        Assert.Equal("sam", page.Name);
        var enrolment = Assert.Single(page.Enrolments);
        Assert.Equal(("mentee", "active"), (enrolment.Role, enrolment.Status));
        var match = Assert.Single(page.Matches);
        Assert.Equal(("mentee", "active", Maria.Id), (match.Role, match.Status, match.Mentor!.EnrolmentId));
        var engagement = Assert.Single(page.Engagements);
        Assert.Equal((EngagementId, 2, 1, 1, "active"), (engagement.Id, engagement.SessionsPlanned, engagement.SessionsCompleted, engagement.ReflectionsSubmitted, engagement.Status));
    }

    [Fact]
    public void A_pd_plan_counts_hours_from_the_programs_session_length()
    {
        var plan = PersonPages.Plan("maria", FactsFor(Maria));

        var program = Assert.Single(plan.Programs);
        Assert.Equal(("mentor", 1, 60, 1.0, 0), (program.Role, program.SessionsCompleted, program.SessionMinutes, program.Hours, program.ReflectionsSubmitted));
        Assert.Equal((1, 1.0), (plan.SessionsCompleted, plan.Hours));
    }

    [Fact]
    public void A_mentee_who_leaves_a_group_match_is_declined_in_it_while_the_others_go_on()
    {
        var (match, _) = Walk();
        var left = match.Apply(new MatchDeclined("demo-a", ProgramId, MatchId, Ana.Id, null, Now, MatchEnded: false, Withdrawn: true));

        Assert.Equal(MatchStatus.Declined, left.StatusOf(Ana.Id));
        Assert.Equal(MatchStatus.Active, left.StatusOf(Sam.Id));
        Assert.Equal([Sam.Id], left.CurrentMentees.Select(m => m.EnrolmentId));
    }

    [Fact]
    public void A_report_counts_matches_waits_sessions_and_touchpoints_by_site_and_role()
    {
        var (match, engagement) = Walk();
        var facts = new ReportFacts([Maria, Idle, Sam, Ana, Kim], [match], [engagement],
            new Dictionary<Guid, DateTimeOffset> { [ProgramId] = Now.AddDays(-7) }, Programs: 1);

        var report = ReportFigures.Of(ProgramId, facts, Now);

        Assert.Equal(new ReportRow("all", Enrolled: 5, Matched: 3, Waitlisted: 1, TimeToMatchP50Hours: 2, TimeToMatchP90Hours: 12,
            SessionsCompleted: 3, TouchpointsOnTime: 2, TouchpointsLate: 0, TouchpointsMissed: 1, ReflectionsSubmitted: 2), report.Totals);
        Assert.Equal(1, report.SessionsCompleted);
        Assert.Equal(["Lincoln", "Roosevelt"], report.BySite.Select(r => r.Group));
        var lincoln = report.BySite[0];
        Assert.Equal((3, 1, 1), (lincoln.Enrolled, lincoln.Matched, lincoln.Waitlisted));
        var mentees = report.ByRole.Single(r => r.Group == Roles.Mentee);
        Assert.Equal((3, 2, 1, 2), (mentees.Enrolled, mentees.Matched, mentees.Waitlisted, mentees.ReflectionsSubmitted));
        Assert.Equal(["counselor", "none", "teacher"], report.ByJobRole.Select(r => r.Group));
        Assert.Equal([new MentorLoadBucket(0, 1), new MentorLoadBucket(1, 0), new MentorLoadBucket(2, 1)], report.MentorLoad);
    }

    [Fact]
    public void A_submission_after_its_due_time_is_late_and_a_mentee_enrolled_after_the_last_run_is_not_waitlisted()
    {
        var (match, engagement) = Walk();
        var late = engagement.Apply(new TouchpointSubmitted("demo-a", ProgramId, EngagementId, ActionSteps, "action-steps", Now.AddHours(-1)));
        var newcomer = Enrolled("new", Roles.Mentee, "Lincoln", Now.AddDays(-1));
        var facts = new ReportFacts([Maria, Sam, Ana, newcomer], [match], [late],
            new Dictionary<Guid, DateTimeOffset> { [ProgramId] = Now.AddDays(-7) }, Programs: 1);

        var totals = ReportFigures.Of(ProgramId, facts, Now).Totals;

        Assert.Equal((2, 1, 0, 0), (totals.TouchpointsOnTime, totals.TouchpointsLate, totals.TouchpointsMissed, totals.Waitlisted));
    }

    [Fact]
    public void A_district_report_counts_a_person_mentoring_in_two_programs_as_one_mentor_with_both_loads()
    {
        var (match, _) = Walk();
        var otherProgram = Guid.NewGuid();
        var mariaElsewhere = Enrolment.Create(Maria.Profile with { ProgramId = otherProgram, EnrolmentId = Enrolment.IdFor(otherProgram, Roles.Mentor, "maria") });
        var kimThere = Enrolment.Create(Kim.Profile with { ProgramId = otherProgram, EnrolmentId = Enrolment.IdFor(otherProgram, Roles.Mentee, "kim") });
        var second = MatchRecord.Empty(Guid.NewGuid(), otherProgram).Apply(Proposed(Guid.NewGuid(), mariaElsewhere, Now, kimThere));
        var facts = new ReportFacts([Maria, mariaElsewhere, Sam, Ana, kimThere], [match, second], [], new Dictionary<Guid, DateTimeOffset>(), Programs: 2);

        var report = ReportFigures.Of(null, facts, Now);

        Assert.Equal([new MentorLoadBucket(0, 0), new MentorLoadBucket(1, 0), new MentorLoadBucket(2, 0), new MentorLoadBucket(3, 1)], report.MentorLoad);
    }

    [Fact]
    public void The_percentiles_are_nearest_rank_and_absent_without_values()
    {
        Assert.Null(ReportFigures.Percentile([], 0.5));
        Assert.Equal(2, ReportFigures.Percentile([1, 2, 3, 4], 0.5));
        Assert.Equal(4, ReportFigures.Percentile([1, 2, 3, 4], 0.9));
    }

    [Fact]
    public void An_engagement_ended_by_a_cancelled_program_is_finished_and_ends_its_match_for_everyone()
    {
        var (match, engagement) = Walk();
        var ended = new EngagementEnded("demo-a", ProgramId, EngagementId, MatchId, "program cancelled: budget", Now);

        Assert.False(engagement.Finished);
        Assert.True(engagement.Apply(ended).Finished);
        var after = match.Apply(ended);
        Assert.False(after.Live);
        Assert.Equal(MatchStatus.Ended, after.StatusOf(Sam.Id));
        Assert.Equal(Now, after.Apply(new EngagementEnded("demo-a", ProgramId, EngagementId, MatchId, "again", Now.AddDays(1))).EndedAt);
    }
}

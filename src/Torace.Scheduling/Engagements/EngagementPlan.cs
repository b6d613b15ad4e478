using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Platform.Storage;

namespace Torace.Scheduling.Engagements;

/// <summary>
/// Turns a published match into an engagement with every touchpoint it will ask for, one per person (DESIGN §5
/// defaults): each participant's pre-reflection at 9 a.m. local two days before session 1, each participant's reminder
/// 24 h before each session, each mentee's between-session touchpoint at 9 a.m. local the program's days after its
/// session, each participant's post-reflection at 9 a.m. local two days after the last session. A session without a
/// date anchors the touchpoints after it on its completion; before that their due time is unknown (null). A touchpoint
/// whose time had passed when its date became known is due from that moment. Pure: the ids and the clock come in.
/// </summary>
public static class EngagementPlan
{
    public const int PreReflectionDaysBefore = 2;
    public const int PostReflectionDaysAfter = 2;
    public static readonly TimeSpan ReminderLead = TimeSpan.FromHours(24);

    public static EngagementScheduled Schedule(MatchProposed match, Func<Guid> newId, DateTimeOffset now)
    {
        if (match.InSpeedEvent)
        {
            return ScheduleEvent(match, newId, now);
        }
        var everyone = match.Mentees.Select(m => m.EnrolmentId).Prepend(match.Mentor.EnrolmentId).ToList();
        var mentees = match.Mentees.Select(m => m.EnrolmentId).ToList();
        var sessions = match.Sessions.OrderBy(s => s.Number).ToList();
        var touchpoints = new List<PlannedTouchpoint>();
        void ForEach(IEnumerable<Guid> people, Func<Guid, PlannedTouchpoint> touchpoint) => touchpoints.AddRange(people.Select(touchpoint));

        if (match.PreReflection)
        {
            ForEach(everyone, p => new PlannedTouchpoint(newId(), TouchpointKinds.PreReflection, sessions[0].Number, p));
        }
        foreach (var session in sessions)
        {
            ForEach(everyone, p => new PlannedTouchpoint(newId(), TouchpointKinds.SessionReminder, session.Number, p));
            foreach (var between in match.Touchpoints.Where(t => t.AfterSession == session.Number))
            {
                ForEach(mentees, p => new PlannedTouchpoint(newId(), between.Kind, between.AfterSession, p, between.DueAfterDays, between.Prompt));
            }
        }
        if (match.PostReflection)
        {
            ForEach(everyone, p => new PlannedTouchpoint(newId(), TouchpointKinds.PostReflection, sessions[^1].Number, p));
        }

        return new EngagementScheduled(newId(), match.MatchId, match.ProgramId, match.ProgramName, match.Mentor, match.Mentees,
            sessions, touchpoints, now, match.Reminders ?? EngagementRules.Default);
    }

    /// <summary>The engagement of a whole speed-mentoring event, all of whose pairings share it.</summary>
    public static Guid SpeedEventId(MatchProposed match) => NameBasedId.From($"speed-event|{match.ProgramId:N}|{match.RunId:N}");

    /// <summary>
    /// The first pairing of a speed-mentoring event to arrive starts its engagement: one session per round, each at its
    /// round's time, and this pairing's people's touchpoints (<see cref="EventTouchpoints"/>).
    /// </summary>
    static EngagementScheduled ScheduleEvent(MatchProposed match, Func<Guid> newId, DateTimeOffset now)
    {
        var rules = match.Reminders ?? EngagementRules.Default;
        var meeting = match.Sessions.OrderBy(s => s.Number).First();
        var eventStart = SpeedRounds.EventStart(meeting.StartsAt, match.Round, rules.SessionMinutes);
        var rounds = Enumerable.Range(1, match.Rounds)
            .Select(round => new SessionPlan(round, meeting.Modality, SpeedRounds.StartOf(eventStart, round, rules.SessionMinutes)))
            .ToList();
        var people = match.Mentees.Prepend(match.Mentor).Select(p => p.EnrolmentId);
        return new EngagementScheduled(SpeedEventId(match), match.MatchId, match.ProgramId, match.ProgramName, match.Mentor, match.Mentees,
            rounds, EventTouchpoints(match, people, newId), now, rules, match.Round, match.Rounds);
    }

    /// <summary>
    /// Another pairing of the event joins its engagement; its people who meet here for the first time get their
    /// touchpoints. A pairing already there (a redelivery) changes nothing.
    /// </summary>
    public static IReadOnlyList<object> Join(Engagement engagement, MatchProposed match, Func<Guid> newId, DateTimeOffset now)
    {
        if (engagement.Meetings is not { } meetings || meetings.Any(m => m.MatchId == match.MatchId))
        {
            return [];
        }
        var newcomers = match.Mentees.Prepend(match.Mentor).Select(p => p.EnrolmentId).Where(id => engagement.Person(id) is null);
        var round = engagement.Session(match.Round);
        return [new MeetingAdded(engagement.Id, engagement.ProgramId, match.Round, match.MatchId, match.Mentor, match.Mentees,
            EventTouchpoints(match, newcomers, newId), now, new SessionPlan(match.Round, round?.Modality ?? "either", round?.StartsAt))];
    }

    /// <summary>
    /// What an event asks of each person once, however many rounds they meet in: the pre-reflection before it, one
    /// reminder the day before it starts, the post-reflection after its last round.
    /// </summary>
    static List<PlannedTouchpoint> EventTouchpoints(MatchProposed match, IEnumerable<Guid> people, Func<Guid> newId)
    {
        var touchpoints = new List<PlannedTouchpoint>();
        foreach (var person in people)
        {
            if (match.PreReflection)
            {
                touchpoints.Add(new PlannedTouchpoint(newId(), TouchpointKinds.PreReflection, 1, person));
            }
            touchpoints.Add(new PlannedTouchpoint(newId(), TouchpointKinds.SessionReminder, 1, person));
            if (match.PostReflection)
            {
                touchpoints.Add(new PlannedTouchpoint(newId(), TouchpointKinds.PostReflection, match.Rounds, person));
            }
        }
        return touchpoints;
    }

    /// <summary>When the touchpoint is due for its recipient, or null while the date it depends on is not known.</summary>
    public static DateTimeOffset? DueAt(Engagement engagement, Touchpoint touchpoint)
    {
        var zone = LocalTimes.Zone(engagement.Person(touchpoint.RecipientId)?.TimeZone);
        var session = engagement.Session(touchpoint.SessionNumber ?? 0);
        DateTimeOffset? Local(DateTimeOffset? anchor, int days) =>
            anchor is { } at ? LocalTimes.DueOn(LocalTimes.DayOf(at, zone).AddDays(days), zone) : null;

        var due = touchpoint.Kind switch
        {
            TouchpointKinds.SessionReminder => session?.StartsAt - ReminderLead,
            TouchpointKinds.PreReflection => Local(session?.StartsAt, -PreReflectionDaysBefore),
            TouchpointKinds.PostReflection => Local(session?.StartsAt ?? session?.CompletedAt, PostReflectionDaysAfter),
            _ => Local(session?.StartsAt ?? session?.CompletedAt, touchpoint.AfterDays ?? 0),
        };
        // Nothing is due before the date it depends on was known (a match published the day before its session asks for
        // the pre-reflection at once, not "two days ago").
        return due is { } at && session?.KnownAt is { } known && known > at ? known : due;
    }
}

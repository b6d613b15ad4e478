using Torace.Platform.Storage;

namespace Torace.Scheduling.Engagements;

/// <summary>A moment at which the engagement must act by itself: a touchpoint falls due, is overdue (nudge), is missed, or the engagement stalls.</summary>
public sealed record Alarm(Guid Id, string Kind, Guid? TouchpointId, DateTimeOffset At);

public static class AlarmKinds
{
    public const string Due = "due";
    public const string Nudge = "nudge";
    public const string Miss = "miss";
    public const string Stall = "stall";
}

/// <summary>
/// Every alarm an engagement has now, derived from its state alone (pure): the due table holds exactly these rows
/// (<see cref="Touchpoints.DueTable.Sync"/>), so a change of date, a submission or an ending moves or drops the rows it
/// affects in the same transaction, and an alarm fired changes the state so that it is gone. An alarm's id names the
/// touchpoint, the kind and the occurrence, so the same alarm is the same row wherever it is computed.
/// </summary>
public static class EngagementAlarms
{
    public static IReadOnlyList<Alarm> Of(Engagement engagement, DateTimeOffset now)
    {
        if (engagement.Status != EngagementStatus.Active)
        {
            return [];
        }
        var rules = engagement.Rules;
        var alarms = new List<Alarm>();
        foreach (var t in engagement.Touchpoints)
        {
            if (t.DueAt is not { } due || engagement.Person(t.RecipientId) is not { } recipient)
            {
                continue;
            }
            var zone = LocalTimes.Zone(recipient.TimeZone);
            DateTimeOffset Sendable(DateTimeOffset at) => rules.QuietHours ? WhenSendable(at, now, zone) : at;
            Alarm Make(string kind, DateTimeOffset at) => new(NameBasedId.From($"alarm|{t.Id:N}|{kind}|{t.Occurrence}"), kind, t.Id, Truncated(at));

            if (t.Status == TouchpointStatus.Pending)
            {
                alarms.Add(Make(AlarmKinds.Due, Sendable(due)));
            }
            if (t.Status == TouchpointStatus.Due)
            {
                alarms.Add(Make(AlarmKinds.Nudge, Sendable(due.AddDays(rules.NudgeAfterDays))));
            }
            if (t.Open)
            {
                alarms.Add(Make(AlarmKinds.Miss, due.AddDays(rules.MissedAfterDays)));
            }
        }
        if (engagement.StalledAt is null || engagement.StalledAt < engagement.LastActivityAt)
        {
            // Waiting for a session that has a date is not stalling: the clock runs from the later of the last
            // activity and the next session's start.
            var next = engagement.Sessions.Where(s => !s.Done && s.StartsAt is not null).Select(s => s.StartsAt!.Value).DefaultIfEmpty().Min();
            var from = next > engagement.LastActivityAt ? next : engagement.LastActivityAt;
            alarms.Add(new Alarm(NameBasedId.From($"alarm|{engagement.Id:N}|stall|{engagement.LastActivityAt.UtcTicks}"), AlarmKinds.Stall, null,
                Truncated(from.AddDays(rules.StallAfterDays))));
        }
        return alarms;
    }

    /// <summary>
    /// The time a reminder may go out: its own time shifted out of the quiet hours; one already past goes out now,
    /// unless now is quiet (then at 7 a.m.). Outside the quiet hours the answer does not depend on now.
    /// </summary>
    static DateTimeOffset WhenSendable(DateTimeOffset at, DateTimeOffset now, TimeZoneInfo zone)
    {
        var shifted = LocalTimes.OutOfQuietHours(at, zone);
        if (shifted >= now)
        {
            return shifted;
        }
        var sendable = LocalTimes.OutOfQuietHours(now, zone);
        return sendable > now ? sendable : shifted;
    }

    /// <summary>PostgreSQL keeps microseconds: an alarm's time is cut to them, so the time read back equals the time computed.</summary>
    static DateTimeOffset Truncated(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}

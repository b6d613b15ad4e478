using Torace.Contracts;
using Torace.Contracts.Matching;

namespace Torace.Scheduling.Engagements;

/// <summary>
/// Turns a published match into an engagement with every touchpoint it will ask for (DESIGN §5 defaults):
/// pre-reflection 2 days before session 1, a reminder 24 h before each dated session, each between-session
/// touchpoint the program's days after its session, post-reflection 2 days after the last session. A
/// touchpoint whose time has already passed is due at once. Pure: the ids and the clock come in.
/// </summary>
public static class EngagementPlan
{
    public static readonly TimeSpan PreReflectionLead = TimeSpan.FromDays(2);
    public static readonly TimeSpan ReminderLead = TimeSpan.FromHours(24);
    public static readonly TimeSpan PostReflectionLag = TimeSpan.FromDays(2);

    public static EngagementScheduled Schedule(MatchProposed match, Func<Guid> newId, DateTimeOffset now)
    {
        var everyone = match.Mentees.Select(m => m.EnrolmentId).Prepend(match.Mentor.EnrolmentId).ToList();
        var mentees = match.Mentees.Select(m => m.EnrolmentId).ToList();
        var sessions = match.Sessions.OrderBy(s => s.Number).ToList();
        var touchpoints = new List<PlannedTouchpoint>();
        PlannedTouchpoint At(string kind, int? session, DateTimeOffset due, IReadOnlyList<Guid> recipients) =>
            new(newId(), kind, session, due < now ? now : due, recipients);

        if (match.PreReflection)
        {
            touchpoints.Add(At(TouchpointKinds.PreReflection, sessions[0].Number, (sessions[0].StartsAt ?? now) - PreReflectionLead, everyone));
        }
        foreach (var session in sessions.Where(s => s.StartsAt is not null))
        {
            touchpoints.Add(At(TouchpointKinds.SessionReminder, session.Number, session.StartsAt!.Value - ReminderLead, everyone));
        }
        foreach (var between in match.Touchpoints.OrderBy(t => t.AfterSession))
        {
            var after = sessions.FirstOrDefault(s => s.Number == between.AfterSession);
            touchpoints.Add(At(between.Kind, between.AfterSession, (after?.StartsAt ?? now) + TimeSpan.FromDays(between.DueAfterDays), mentees));
        }
        if (match.PostReflection)
        {
            var last = sessions[^1];
            touchpoints.Add(At(TouchpointKinds.PostReflection, last.Number, (last.StartsAt ?? now) + PostReflectionLag, everyone));
        }

        return new EngagementScheduled(newId(), match.MatchId, match.ProgramId, match.ProgramName, match.Mentor, match.Mentees,
            sessions, [.. touchpoints.OrderBy(t => t.DueAt)], now);
    }
}

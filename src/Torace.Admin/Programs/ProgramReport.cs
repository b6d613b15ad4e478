using Torace.Admin.Gateway;

namespace Torace.Admin.Programs;

/// <summary>One bar of a chart: its label and value.</summary>
public sealed record Bar(string Label, double Value);

/// <summary>
/// A program's numbers for its report, worked out from its enrolments and engagements as the API gives them: who
/// was matched (by site and by role), how far engagements got (the completion funnel), how the touchpoints stand,
/// and how many mentees each mentor carries (the load the matcher spreads).
/// </summary>
public sealed record ProgramReport(
    IReadOnlyList<Bar> MatchRateBySite,
    IReadOnlyList<Bar> MatchRateByRole,
    IReadOnlyList<Bar> Funnel,
    IReadOnlyList<Bar> Touchpoints,
    IReadOnlyList<Bar> MentorLoad,
    IReadOnlyList<Bar>? TimeToMatch = null)
{
    /// <summary>
    /// The report, with the API's program report (when it could be read) for what only Programs' projections know:
    /// touchpoints on time, late and missed, the mentor load across published matches, and the time to match.
    /// </summary>
    public static ProgramReport From(IReadOnlyList<EnrolmentItem> enrolments, IReadOnlyList<EngagementItem> engagements, DateTimeOffset now, ProgramReportItem? server)
    {
        var local = From(enrolments, engagements, now);
        if (server is null)
        {
            return local;
        }
        var t = server.Totals;
        return local with
        {
            Touchpoints = [new("On time", t.TouchpointsOnTime), new("Late", t.TouchpointsLate), new("Missed", t.TouchpointsMissed), new("Reflections submitted", t.ReflectionsSubmitted)],
            MentorLoad = [.. server.MentorLoad.Select(b => new Bar(b.Mentees == 1 ? "1 mentee" : $"{b.Mentees} mentees", b.Mentors))],
            TimeToMatch = t.TimeToMatchP50Hours is { } p50 ? [new("Half matched within", p50), new("Nine in ten matched within", t.TimeToMatchP90Hours ?? p50)] : [],
        };
    }

    public static ProgramReport From(IReadOnlyList<EnrolmentItem> enrolments, IReadOnlyList<EngagementItem> engagements, DateTimeOffset now)
    {
        var mentees = enrolments.Where(e => e.Role == "mentee").ToList();
        var live = engagements.Where(e => e.Status != "cancelled").ToList();
        var matched = live.SelectMany(e => e.Mentees.Select(m => m.EnrolmentId)).ToHashSet();

        IReadOnlyList<Bar> RateBy(Func<EnrolmentItem, string> key) =>
            [.. mentees.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new Bar(g.Key, Math.Round(100.0 * g.Count(m => matched.Contains(m.Id)) / g.Count(), 1)))];

        var funnel = new List<Bar>
        {
            new("Enrolled mentees", mentees.Count),
            new("Matched", matched.Count),
            new("First session done", live.Where(e => e.Sessions.Any(s => s.Number == 1 && s.Status == "completed")).Sum(e => e.Mentees.Count)),
            new("Every session done", live.Where(e => e.Sessions.Count > 0 && e.Sessions.All(s => s.Status == "completed")).Sum(e => e.Mentees.Count)),
        };

        var touchpoints = live.SelectMany(e => e.Touchpoints).ToList();
        var report = new List<Bar>
        {
            new("Submitted", touchpoints.Count(t => t.Status == "submitted")),
            new("Overdue", touchpoints.Count(t => t.Status is "late" or "missed")),
            new("Due now", touchpoints.Count(t => t.Status == "due")),
            new("Coming up", touchpoints.Count(t => t.Status == "pending" && t.Kind != "session-reminder")),
        };

        // Each mentor's mentees: at a speed-mentoring event, everyone they meet over its rounds.
        var pairings = live.SelectMany(e => e.Meetings?.Select(m => (MentorId: m.Mentor.EnrolmentId, m.Mentees.Count))
            ?? (e.Mentor is { } mentor ? [(mentor.EnrolmentId, e.Mentees.Count)] : [])).ToList();
        var loads = pairings.GroupBy(p => p.MentorId).Select(g => g.Sum(p => p.Count)).ToList();
        var idle = enrolments.Count(e => e.Role == "mentor" && e.Status == "active" && pairings.All(p => p.MentorId != e.Id));
        var most = loads.Count == 0 ? 0 : loads.Max();
        IReadOnlyList<Bar> load = [.. Enumerable.Range(0, most + 1).Select(n => new Bar(n == 1 ? "1 mentee" : $"{n} mentees", n == 0 ? idle : loads.Count(l => l == n)))];

        return new ProgramReport(RateBy(m => m.Site), RateBy(m => m.JobRole ?? "no role given"), funnel, report, load);
    }
}

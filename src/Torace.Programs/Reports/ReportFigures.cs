using Torace.Programs.Lifecycle;
using Torace.Programs.People;

namespace Torace.Programs.Reports;

/// <summary>What a report is worked out from: documents the Programs service keeps (never a stream read).</summary>
public sealed record ReportFacts(
    IReadOnlyList<Enrolment.Enrolment> Enrolments,
    IReadOnlyList<MatchRecord> Matches,
    IReadOnlyList<EngagementRecord> Engagements,
    IReadOnlyDictionary<Guid, DateTimeOffset> LastMatchingRequested,
    int Programs);

/// <summary>The report's figures. Pure: facts and now in, numbers out.</summary>
public static class ReportFigures
{
    public const string NoJobRole = "none";
    const string SessionReminder = "session-reminder";

    /// <summary>One enrolment's part in the figures.</summary>
    sealed record Person(Enrolment.Enrolment Enrolment, bool Matched, bool Waitlisted, double? HoursToMatch,
        int Sessions, int OnTime, int Late, int Missed, int Reflections, int CurrentMentees)
    {
        public string Site => Enrolment.Profile.Site;
        public string Role => Enrolment.Profile.Role;
        public string JobRole => Enrolment.Profile.JobRole ?? NoJobRole;
    }

    public static ReportResponse Of(Guid? programId, ReportFacts facts, DateTimeOffset now)
    {
        var people = People(facts, now);
        var sessions = facts.Engagements.Sum(e => e.Sessions.Count);
        return new ReportResponse(programId, now, facts.Programs, sessions,
            Row("all", people),
            By(people, p => p.Site), By(people, p => p.Role), By(people, p => p.JobRole),
            MentorLoad(people, district: programId is null));
    }

    static List<Person> People(ReportFacts facts, DateTimeOffset now)
    {
        var matchesOf = facts.Matches.Where(m => m.Mentor is not null)
            .SelectMany(m => m.Participants.Select(id => (id, m)))
            .ToLookup(x => x.id, x => x.m);
        var engagementsOf = facts.Engagements.SelectMany(e => e.Matches.Select(id => (id, e))).ToLookup(x => x.id, x => x.e);
        return [.. facts.Enrolments.Select(e =>
        {
            var id = e.Id;
            var profile = e.Profile;
            var matches = matchesOf[id].ToList();
            var live = matches.Where(m => m.Live && m.StatusOf(id) == MatchStatus.Active
                && (profile.Role != Roles.Mentor || m.CurrentMentees.Any())).ToList();
            var firstMatch = matches.Where(m => m.ProposedAt is not null).Select(m => m.ProposedAt!.Value).DefaultIfEmpty().Min();
            var covered = facts.LastMatchingRequested.TryGetValue(profile.ProgramId, out var requested) && profile.EnrolledAt <= requested;
            // A speed-mentoring event is one engagement over several of the person's matches: counted once.
            var engagements = matches.SelectMany(m => engagementsOf[m.Id].Select(x => (Match: m, Engagement: x))).DistinctBy(x => x.Engagement.Id).ToList();
            var touchpoints = (from x in engagements
                               from t in x.Engagement.Touchpoints
                               where t.Kind != SessionReminder && (t.Recipients.Count == 0 ? x.Match.Includes(id) : t.Recipients.Contains(id))
                               select (Touchpoint: t, Cancelled: x.Match.EndedAt is not null && x.Engagement.CompletedAt is null)).ToList();
            return new Person(e,
                Matched: e.Active && live.Count > 0,
                Waitlisted: e.Active && profile.Role == Roles.Mentee && live.Count == 0 && covered,
                HoursToMatch: profile.Role == Roles.Mentee && firstMatch != default ? Math.Max(0, (firstMatch - profile.EnrolledAt).TotalHours) : null,
                Sessions: engagements.Sum(x => PersonPages.SessionsOf(x.Engagement, x.Match, id)),
                OnTime: touchpoints.Count(t => t.Touchpoint.SubmittedAt is { } at && (t.Touchpoint.DueAt is not { } due || at <= due)),
                Late: touchpoints.Count(t => t.Touchpoint.SubmittedAt is { } at && t.Touchpoint.DueAt is { } due && at > due),
                Missed: touchpoints.Count(t => t.Touchpoint.SubmittedAt is null && t.Touchpoint.DueAt is { } due && due < now && !t.Cancelled),
                Reflections: engagements.Sum(x => PersonPages.ReflectionsOf(x.Engagement, id)),
                CurrentMentees: profile.Role == Roles.Mentor && e.Active ? live.Sum(m => m.CurrentMentees.Count()) : 0);
        })];
    }

    static IReadOnlyList<ReportRow> By(IEnumerable<Person> people, Func<Person, string> key) =>
        [.. people.GroupBy(key, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase).Select(g => Row(g.Key, [.. g]))];

    static ReportRow Row(string group, IReadOnlyList<Person> people)
    {
        var waits = people.Where(p => p.HoursToMatch is not null).Select(p => p.HoursToMatch!.Value).Order().ToList();
        return new ReportRow(group,
            people.Count(p => p.Enrolment.Active),
            people.Count(p => p.Matched),
            people.Count(p => p.Waitlisted),
            Percentile(waits, 0.5), Percentile(waits, 0.9),
            people.Sum(p => p.Sessions),
            people.Sum(p => p.OnTime), people.Sum(p => p.Late), people.Sum(p => p.Missed),
            people.Sum(p => p.Reflections));
    }

    /// <summary>Nearest-rank percentile of sorted values, in hours rounded to a hundredth; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 2);

    /// <summary>
    /// Mentors by the mentees they carry, from 0 up to the most anyone carries. In a district report a person who mentors
    /// in several programs is one mentor carrying the sum: that is the load a "super mentor" feels.
    /// </summary>
    static IReadOnlyList<MentorLoadBucket> MentorLoad(IEnumerable<Person> people, bool district)
    {
        var mentors = people.Where(p => p.Role == Roles.Mentor && p.Enrolment.Active);
        var loads = (district
            ? mentors.GroupBy(p => p.Enrolment.Profile.ExternalId.Trim().ToLowerInvariant()).Select(g => g.Sum(p => p.CurrentMentees))
            : mentors.Select(p => p.CurrentMentees)).ToList();
        var most = loads.DefaultIfEmpty(0).Max();
        return [.. Enumerable.Range(0, most + 1).Select(n => new MentorLoadBucket(n, loads.Count(l => l == n)))];
    }
}

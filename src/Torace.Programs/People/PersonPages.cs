using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.People;

/// <summary>Everything Programs holds about one person, as read from its documents (no streams, no other service).</summary>
public sealed record PersonFacts(
    IReadOnlyList<Enrolment.Enrolment> Enrolments,
    IReadOnlyDictionary<Guid, ProgramState> Programs,
    IReadOnlyList<MatchRecord> Matches,
    IReadOnlyList<EngagementRecord> Engagements);

/// <summary>A person's page and PD plan, worked out from their facts. Pure.</summary>
public static class PersonPages
{
    public static readonly string[] ReflectionKinds = ["pre-reflection", "post-reflection"];

    public static PersonResponse Person(string externalId, PersonFacts facts)
    {
        var enrolments = facts.Enrolments.OrderBy(e => e.Profile.EnrolledAt).ToList();
        var latest = enrolments[^1].Profile;
        var roleOf = enrolments.ToDictionary(e => e.Id, e => e.Profile.Role);
        var matches = (from m in facts.Matches
                       from id in m.Participants.Where(roleOf.ContainsKey).Take(1)
                       orderby m.ProposedAt
                       select new PersonMatch(m.Id, m.ProgramId, id, roleOf[id], m.StatusOf(id), m.ProposedAt,
                           m.Mentor is { } mentor ? Ref(mentor) : null, [.. m.CurrentMentees.Select(Ref)])).ToList();
        var matchOf = facts.Matches.ToDictionary(m => m.Id);
        var engagements = (from e in facts.Engagements
                           let match = e.Matches.Select(id => matchOf.GetValueOrDefault(id)).FirstOrDefault(m => m is not null)
                           where match is not null
                           from enrolmentId in match.Participants.Where(roleOf.ContainsKey).Take(1)
                           orderby e.ScheduledAt
                           select new PersonEngagement(e.Id, e.ProgramId, e.MatchId, enrolmentId, StatusOf(e, match),
                               Math.Max(e.SessionsPlanned, e.Sessions.Count), SessionsOf(e, match, enrolmentId), ReflectionsOf(e, enrolmentId),
                               e.ScheduledAt, e.CompletedAt)).ToList();
        return new PersonResponse(externalId, latest.Name, latest.Email,
            [.. enrolments.Select(e => new PersonEnrolment(e.Id, e.Profile.ProgramId, facts.Programs.GetValueOrDefault(e.Profile.ProgramId)?.Definition.Name ?? "",
                e.Profile.Role, e.Profile.Site, e.Active ? EnrolmentStatus.Active : EnrolmentStatus.Withdrawn, e.Profile.EnrolledAt, e.WithdrawnAt))],
            matches, engagements);
    }

    public static PlanResponse Plan(string externalId, PersonFacts facts)
    {
        var person = Person(externalId, facts);
        var programs = (from e in facts.Enrolments.OrderBy(e => e.Profile.EnrolledAt)
                        let program = facts.Programs.GetValueOrDefault(e.Profile.ProgramId)
                        where program is not null
                        let theirs = person.Engagements.Where(x => x.EnrolmentId == e.Id).ToList()
                        let sessions = theirs.Sum(x => x.SessionsCompleted)
                        select new PlanProgram(program.Id, program.Definition.Name, program.Definition.Kind, program.Definition.Topic,
                            program.Status.ToString().ToLowerInvariant(), e.Id, e.Profile.Role,
                            e.Active ? EnrolmentStatus.Active : EnrolmentStatus.Withdrawn,
                            sessions, program.Definition.SessionMinutes, Hours(sessions, program.Definition.SessionMinutes),
                            theirs.Sum(x => x.ReflectionsSubmitted))).ToList();
        return new PlanResponse(externalId, person.Name, programs,
            programs.Sum(p => p.SessionsCompleted), Math.Round(programs.Sum(p => p.Hours), 2), programs.Sum(p => p.ReflectionsSubmitted));
    }

    public static double Hours(int sessions, int sessionMinutes) => Math.Round(sessions * sessionMinutes / 60.0, 2);

    /// <summary>The sessions of the engagement the person was at: named in the completion, or (when it named nobody) in the match.</summary>
    public static int SessionsOf(EngagementRecord engagement, MatchRecord? match, Guid enrolmentId) =>
        engagement.Sessions.Count(s => s.Participants.Count > 0 ? s.Participants.Contains(enrolmentId) : match?.Includes(enrolmentId) == true);

    /// <summary>The reflections the person submitted: submitted reflection touchpoints that were due from them (or from nobody named).</summary>
    public static int ReflectionsOf(EngagementRecord engagement, Guid enrolmentId) =>
        engagement.Touchpoints.Count(t => ReflectionKinds.Contains(t.Kind) && t.SubmittedAt is not null
            && (t.Recipients.Count == 0 || t.Recipients.Contains(enrolmentId)));

    static string StatusOf(EngagementRecord engagement, MatchRecord match) =>
        engagement.CompletedAt is not null ? "completed" : match.EndedAt is not null ? "ended" : "active";

    static PersonRef Ref(MatchedPerson p) => new(p.EnrolmentId, p.Name, p.Site);
}

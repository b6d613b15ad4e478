using Marten;
using Torace.Matching.Candidates;
using Torace.Matching.Engine;
using Torace.Matching.Matches;
using Torace.Platform.Erasure;

namespace Torace.Matching.Problems;

/// <summary>A program's matching problem as it stands now, with the people behind every id.</summary>
public sealed record ProblemContext(MatchingProgram Program, MatchingProblem Problem, IReadOnlyDictionary<Guid, Candidate> People)
{
    // Publishing a district-wide run looks up every proposal's people: by id, not by scanning tens of thousands.
    // The index remembers the problem it was built for, so a copy made with `with { Problem = … }` builds its own.
    PeopleIndex? index;

    PeopleIndex Index => index is { } built && ReferenceEquals(built.Problem, Problem) ? built : index = new PeopleIndex(Problem);

    public Person? Mentor(Guid id) => Index.Mentors.GetValueOrDefault(id);
    public Person? Mentee(Guid id) => Index.Mentees.GetValueOrDefault(id);

    public int Carried(Person mentor) => Problem.History.LoadOf(mentor.ExternalId) is var load ? load.PastMentees + load.CurrentMentees : 0;

    sealed class PeopleIndex(MatchingProblem problem)
    {
        public MatchingProblem Problem { get; } = problem;
        public Dictionary<Guid, Person> Mentors { get; } = problem.Mentors.ToDictionary(m => m.Id);
        public Dictionary<Guid, Person> Mentees { get; } = problem.Mentees.ToDictionary(m => m.Id);
    }
}

/// <summary>
/// Builds the problem from Matching's own read models: the program's active candidates, and the district's match
/// history (the <see cref="Match"/> projection of every match stream), so loads, past pairs and declines survive
/// restarts and replays. Only mentees still waiting are matched; mentors offer the places they have left.
/// </summary>
public static class MatchingProblems
{
    /// <remarks>A coordinator's run passes the enrolments it <paramref name="covered"/>; anyone who enrolled after it was asked for waits for the next.</remarks>
    public static async Task<ProblemContext> Load(IQuerySession session, MatchingProgram program, DateTimeOffset now, CancellationToken ct,
        IReadOnlySet<Guid>? covered = null)
    {
        var candidates = (await session.Query<Candidate>()
                .Where(c => c.ProgramId == program.Id && c.Active)
                .ToListAsync(ct))
            .Where(c => covered is null || covered.Contains(c.Id))
            .Where(c => !Erased.IsAddress(c.Email)) // an erased person is never matched again
            .OrderBy(c => c.EnrolledAt).ThenBy(c => c.Id)
            .ToList();
        // The district's history, as far as it concerns this program's mentors; seats taken in this program.
        var mentorIds = candidates.Where(c => c.Role == Candidate.Mentor).Select(c => c.ExternalId).Distinct().ToArray();
        var matches = await session.Query<Match>().Where(m => m.Mentor.ExternalId.IsOneOf(mentorIds)).ToListAsync(ct);
        var inProgram = (await session.Query<Match>().Where(m => m.ProgramId == program.Id && m.Status != MatchStatus.Declined && m.Status != MatchStatus.Withdrawn).ToListAsync(ct));
        var placed = inProgram.SelectMany(m => m.Seated).Select(p => p.EnrolmentId).ToHashSet();
        var seatsTaken = inProgram.GroupBy(m => m.Mentor.EnrolmentId).ToDictionary(g => g.Key, g => g.Sum(m => m.Seated.Count()));

        var mentors = candidates.Where(c => c.Role == Candidate.Mentor)
            .Select(c => c.AsPerson(now, Math.Max(0, c.Capacity - seatsTaken.GetValueOrDefault(c.Id))))
            .ToList();
        var mentees = candidates.Where(c => c.Role == Candidate.Mentee && !placed.Contains(c.Id))
            .Select(c => c.AsPerson(now))
            .ToList();

        var problem = new MatchingProblem(program.PoolRules, MatchingWeights.From(program.Matching.Weights), mentors, mentees)
        {
            History = History(matches),
            Rounds = program.Matching.Rounds,
        };
        return new ProblemContext(program, problem, candidates.ToDictionary(c => c.Id));
    }

    /// <summary>
    /// Loads (current = matches running, past = completed), every pair that met, and every pair declined. A pair that
    /// ended because someone withdrew from the program is neither: it never met, and nobody refused the other.
    /// </summary>
    internal static MatchingHistory History(IReadOnlyList<Match> matches)
    {
        var loads = new Dictionary<string, MentorLoad>(StringComparer.OrdinalIgnoreCase);
        var met = new HashSet<PersonPair>();
        var declined = new HashSet<PersonPair>();
        foreach (var match in matches)
        {
            foreach (var mentee in match.Mentees)
            {
                var pair = new PersonPair(match.Mentor.ExternalId, mentee.ExternalId);
                // The mentee leaving comes first: a mentor who leaves afterwards no longer shares a match with them.
                var left = match.DeclinedBy.Contains(mentee.EnrolmentId) ? mentee.EnrolmentId
                    : match.DeclinedBy.Contains(match.Mentor.EnrolmentId) ? match.Mentor.EnrolmentId
                    : (Guid?)null;
                if (left is { } who)
                {
                    if (!match.HasWithdrawn(who))
                    {
                        declined.Add(pair);
                    }
                    continue;
                }
                if (match.Status == MatchStatus.Cancelled)
                {
                    continue; // the program was cancelled under it
                }
                met.Add(pair);
                var load = loads.GetValueOrDefault(match.Mentor.ExternalId);
                loads[match.Mentor.ExternalId] = match.Status == MatchStatus.Completed
                    ? load with { PastMentees = load.PastMentees + 1 }
                    : load with { CurrentMentees = load.CurrentMentees + 1 };
            }
        }
        return new MatchingHistory { Loads = loads, PastPairs = met, DeclinedPairs = declined };
    }
}

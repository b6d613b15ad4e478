using Torace.Matching.Engine;
using Torace.Matching.Problems;
using Torace.Platform.Api;

namespace Torace.Matching.Runs;

/// <summary>
/// The coordinator's review of a run, as pure decisions: each answers the event to append or a <see cref="Rejected"/>
/// that says why (a broken hard rule is named in the coordinator's words).
/// </summary>
public static class MatchingRunDecisions
{
    public static MatchingRunCompleted Complete(MatchingRun run, MatchingResult result, Func<Guid> newId, double seconds, DateTimeOffset now,
        IReadOnlyList<RunProposal>? kept = null) =>
        new(run.Id, MatchingEngine.Name,
            [.. kept ?? [], .. result.Proposals.Select(p => RunProposal.From(p, newId(), RunProposal.FromEngine))],
            [.. result.Unmatched.Select(u => new RunUnmatched(u.EnrolmentId, u.Reason, u.Round))],
            result.TotalCost, seconds, now);

    /// <summary>
    /// The pinned proposals of an earlier run that still hold, and the problem left for the rest: their mentees out,
    /// their mentors' places spent. A pinned pair that no longer holds (someone withdrew) is simply solved again.
    /// </summary>
    public static (IReadOnlyList<RunProposal> Kept, ProblemContext Remaining) KeepPinned(MatchingRun earlier, ProblemContext context)
    {
        var kept = earlier.Proposals
            .Where(p => p.Pinned && !StillValid(earlier with { Proposals = [p] }, context).Any())
            .ToList();
        var placed = kept.SelectMany(p => p.MenteeIds).ToHashSet();
        var spent = kept.GroupBy(p => p.MentorId).ToDictionary(g => g.Key, g => g.Sum(p => p.MenteeIds.Count));
        var problem = context.Problem with
        {
            Mentees = [.. context.Problem.Mentees.Where(m => !placed.Contains(m.Id))],
            Mentors = [.. context.Problem.Mentors.Select(m => m with { Capacity = Math.Max(0, m.Capacity - spent.GetValueOrDefault(m.Id)) })],
        };
        return (kept, context with { Problem = problem });
    }

    public static ProposalPinned Pin(MatchingRun run, Guid proposalId, bool pinned)
    {
        var proposal = Reviewable(run, proposalId);
        return proposal.Pinned == pinned
            ? throw Rejected.Conflict(pinned ? "The proposal is already pinned." : "The proposal is not pinned.")
            : new ProposalPinned(run.Id, proposalId, pinned);
    }

    public static ProposalRemoved Remove(MatchingRun run, Guid proposalId, DateTimeOffset now) =>
        Reviewable(run, proposalId).Pinned
            ? throw Rejected.Conflict("The proposal is pinned; unpin it before removing it.")
            : new ProposalRemoved(run.Id, proposalId, now);

    public static MenteesSwapped Swap(MatchingRun run, ProblemContext context, Guid menteeA, Guid menteeB, DateTimeOffset now)
    {
        RequireReviewable(run);
        var a = run.ProposalOf(menteeA) ?? throw Rejected.NotFound($"Mentee {menteeA} is in no proposal of this run.");
        var b = run.ProposalOf(menteeB) ?? throw Rejected.NotFound($"Mentee {menteeB} is in no proposal of this run.");
        if (a.Id == b.Id)
        {
            throw Rejected.Conflict("Both mentees are in the same proposal; there is nothing to swap.");
        }
        if (a.Round != b.Round)
        {
            throw Rejected.Conflict("The mentees are in different rounds; swap within a round.");
        }
        if (a.Pinned || b.Pinned)
        {
            throw Rejected.Conflict("A pinned proposal cannot change; unpin it first.");
        }
        var revisedA = Restate(context, a, a.MenteeIds.Select(m => m == menteeA ? menteeB : m));
        var revisedB = Restate(context, b, b.MenteeIds.Select(m => m == menteeB ? menteeA : m));
        return new MenteesSwapped(run.Id, menteeA, menteeB, [revisedA, revisedB], now);
    }

    public static ProposalAdded Add(MatchingRun run, ProblemContext context, Guid mentorId, IReadOnlyList<Guid> menteeIds, int round, Func<Guid> newId, DateTimeOffset now)
    {
        RequireReviewable(run);
        if (round > Math.Max(1, context.Problem.Rounds))
        {
            throw Rejected.Conflict($"The program has {Math.Max(1, context.Problem.Rounds)} round(s); there is no round {round}.");
        }
        var mentor = context.Mentor(mentorId)
            ?? throw Rejected.NotFound($"Enrolment {mentorId} is not an active mentor of this program.");
        foreach (var menteeId in menteeIds)
        {
            if (run.Proposals.FirstOrDefault(p => p.Round == round && p.MenteeIds.Contains(menteeId)) is { } taken)
            {
                throw Rejected.Conflict($"Mentee {menteeId} is already in proposal {taken.Id}; remove or swap it first.");
            }
            _ = context.Mentee(menteeId)
                ?? throw Rejected.NotFound($"Enrolment {menteeId} is not a waiting mentee of this program.");
        }
        var groupSize = Math.Max(1, context.Problem.Pool.GroupSize);
        if (menteeIds.Count > groupSize)
        {
            throw Rejected.Conflict($"The program's groups hold at most {groupSize} mentees.");
        }
        var capacity = Rules.EffectiveCapacity(context.Problem.Pool, mentor, context.Problem.History.LoadOf(mentor.ExternalId));
        var limit = context.Problem.Rounds > 1 ? Math.Min(capacity, groupSize) : capacity;
        var already = run.Proposals.Where(p => p.MentorId == mentorId && p.Round == round).Sum(p => p.MenteeIds.Count);
        if (already + menteeIds.Count > limit)
        {
            throw Rejected.Conflict($"The mentor has {Math.Max(0, limit - already)} place(s) left; the pair would exceed their capacity.");
        }
        var proposal = Restate(context, new RunProposal(newId(), mentorId, menteeIds, 0, [], [], round, false, RunProposal.FromCoordinator), menteeIds, already);
        return new ProposalAdded(run.Id, proposal, now);
    }

    public static MatchingRunPublished Publish(MatchingRun run, ProblemContext context, Func<Guid> newId, DateTimeOffset now)
    {
        switch (run.Status)
        {
            case RunStatus.Published: throw Rejected.Conflict("The run is already published.");
            case not RunStatus.Completed: throw Rejected.Conflict($"The run is {run.Status}; only a completed run can be published.");
        }
        if (run.Proposals.Count == 0)
        {
            throw Rejected.Conflict("The run proposes no matches; there is nothing to publish.");
        }
        // The district may have moved on since the run (withdrawals, other publishes): check every rule again now.
        var problems = StillValid(run, context).Take(5).ToList();
        return problems.Count == 0
            ? new MatchingRunPublished(run.Id, [.. run.Proposals.Select(_ => newId())], now)
            : throw Rejected.Conflict("The proposals no longer fit the program: " + string.Join("; ", problems));
    }

    static IEnumerable<string> StillValid(MatchingRun run, ProblemContext context)
    {
        var seats = new Dictionary<(Guid, int), int>();
        foreach (var proposal in run.Proposals)
        {
            if (context.Mentor(proposal.MentorId) is not { } mentor)
            {
                yield return $"mentor {proposal.MentorId} is no longer an active mentor";
                continue;
            }
            var capacity = Rules.EffectiveCapacity(context.Problem.Pool, mentor, context.Problem.History.LoadOf(mentor.ExternalId));
            var used = seats[(mentor.Id, proposal.Round)] = seats.GetValueOrDefault((mentor.Id, proposal.Round)) + proposal.MenteeIds.Count;
            if (used > (context.Problem.Rounds > 1 ? Math.Min(capacity, context.Problem.Pool.GroupSize) : capacity))
            {
                yield return $"{context.People[mentor.Id].Name} has no place left";
            }
            foreach (var menteeId in proposal.MenteeIds)
            {
                if (context.Mentee(menteeId) is not { } mentee)
                {
                    yield return $"mentee {menteeId} is no longer waiting (withdrawn or matched since)";
                }
                else if (Rules.Ineligibility(context.Problem, mentor, mentee) is { } why)
                {
                    yield return $"{context.People[mentee.Id].Name} with {context.People[mentor.Id].Name}: {why}";
                }
            }
        }
    }

    /// <summary>The proposal with new mentees, explained afresh; rejected if any pair breaks a hard rule.</summary>
    static RunProposal Restate(ProblemContext context, RunProposal proposal, IEnumerable<Guid> menteeIds, int carriedInRun = 0)
    {
        var mentor = context.Mentor(proposal.MentorId)
            ?? throw Rejected.Conflict($"Mentor {proposal.MentorId} is no longer an active mentor of this program.");
        var mentees = menteeIds.Select(id => context.Mentee(id)
            ?? throw Rejected.Conflict($"Mentee {id} is no longer waiting in this program.")).ToList();
        foreach (var mentee in mentees)
        {
            if (Rules.Ineligibility(context.Problem, mentor, mentee) is { } why)
            {
                throw Rejected.Conflict($"{context.People[mentee.Id].Name} cannot be matched with {context.People[mentor.Id].Name}: {why}.");
            }
        }
        var explained = Explanations.Describe(context.Problem, mentor, mentees, context.Carried(mentor) + carriedInRun);
        return proposal with { MenteeIds = explained.MenteeIds, Score = explained.Score, Reasons = explained.Reasons, Factors = explained.Factors };
    }

    static RunProposal Reviewable(MatchingRun run, Guid proposalId)
    {
        RequireReviewable(run);
        return run.Proposals.FirstOrDefault(p => p.Id == proposalId)
            ?? throw Rejected.NotFound($"The run has no proposal {proposalId}.");
    }

    static void RequireReviewable(MatchingRun run)
    {
        if (run.Status != RunStatus.Completed)
        {
            throw Rejected.Conflict($"The run is {run.Status}; only a completed, unpublished run can be reviewed.");
        }
    }
}

using Torace.Matching.Engine;

namespace Torace.Matching.Runs;

/// <summary>A proposal inside a run, with its own id so a coordinator can pin, remove or swap it.</summary>
public sealed record RunProposal(
    Guid Id,
    Guid MentorId,
    IReadOnlyList<Guid> MenteeIds,
    double Score,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<MatchFactor> Factors,
    int Round,
    bool Pinned,
    string Source)
{
    public const string FromEngine = "engine";
    public const string FromCoordinator = "coordinator";

    public static RunProposal From(Proposal p, Guid id, string source) =>
        new(id, p.MentorId, p.MenteeIds, p.Score, p.Reasons, p.Factors, p.Round, false, source);
}

public sealed record RunUnmatched(Guid EnrolmentId, string Reason, int Round = 1)
{
    public const string RemovedByCoordinator = "removed-by-coordinator";
}

/// <summary>A run began. <see cref="Queued"/> runs are solved by the run worker; placements are solved at once.</summary>
/// <remarks>
/// <see cref="KeepPinnedFrom"/> names an earlier run whose pinned proposals this run keeps as they are. A coordinator's run
/// <see cref="Covers"/> exactly the enrolments Programs named when it was asked for (null: whoever is in the pool).
/// </remarks>
public sealed record MatchingRunStarted(Guid RunId, Guid ProgramId, string Trigger, bool Queued, DateTimeOffset StartedAt, Guid? KeepPinnedFrom = null,
    IReadOnlyList<Guid>? Covers = null, DateTimeOffset? RequestedAt = null, IReadOnlyDictionary<Guid, DateTimeOffset>? ProfilesAt = null);

public sealed record MatchingRunCompleted(
    Guid RunId,
    string Engine,
    IReadOnlyList<RunProposal> Proposals,
    IReadOnlyList<RunUnmatched> Unmatched,
    long TotalCost,
    double Seconds,
    DateTimeOffset CompletedAt);

public sealed record MatchingRunFailed(Guid RunId, string Error, DateTimeOffset FailedAt);

public sealed record ProposalPinned(Guid RunId, Guid ProposalId, bool Pinned);

public sealed record ProposalRemoved(Guid RunId, Guid ProposalId, DateTimeOffset RemovedAt);

public sealed record ProposalAdded(Guid RunId, RunProposal Proposal, DateTimeOffset AddedAt);

/// <summary>Two mentees traded places; both proposals are restated with their new explanations.</summary>
public sealed record MenteesSwapped(Guid RunId, Guid MenteeA, Guid MenteeB, IReadOnlyList<RunProposal> Revised, DateTimeOffset SwappedAt);

public sealed record MatchingRunPublished(Guid RunId, IReadOnlyList<Guid> MatchIds, DateTimeOffset PublishedAt);

/// <summary>A matching run as its stream tells it: started, proposals made, reviewed, published.</summary>
public sealed record MatchingRun(
    Guid Id,
    Guid ProgramId,
    string Status,
    string Trigger,
    IReadOnlyList<RunProposal> Proposals,
    IReadOnlyList<RunUnmatched> Unmatched,
    IReadOnlyList<Guid> MatchIds,
    DateTimeOffset StartedAt,
    string? Engine = null,
    long? TotalCost = null,
    double? Seconds = null,
    string? Error = null,
    Guid? KeepPinnedFrom = null,
    IReadOnlyList<Guid>? Covers = null,
    DateTimeOffset? RequestedAt = null)
{
    public static MatchingRun Create(MatchingRunStarted e) =>
        new(e.RunId, e.ProgramId, RunStatus.Running, e.Trigger, [], [], [], e.StartedAt, KeepPinnedFrom: e.KeepPinnedFrom, Covers: e.Covers, RequestedAt: e.RequestedAt);

    public MatchingRun Apply(MatchingRunCompleted e) => this with
    {
        Status = RunStatus.Completed, Proposals = e.Proposals, Unmatched = e.Unmatched, Engine = e.Engine, TotalCost = e.TotalCost, Seconds = e.Seconds,
    };

    public MatchingRun Apply(MatchingRunFailed e) => this with { Status = RunStatus.Failed, Error = e.Error };

    public MatchingRun Apply(ProposalPinned e) => this with
    {
        Proposals = [.. Proposals.Select(p => p.Id == e.ProposalId ? p with { Pinned = e.Pinned } : p)],
    };

    public MatchingRun Apply(ProposalRemoved e)
    {
        var removed = Proposals.Single(p => p.Id == e.ProposalId);
        return this with
        {
            Proposals = [.. Proposals.Where(p => p.Id != e.ProposalId)],
            Unmatched = [.. Unmatched, .. removed.MenteeIds.Select(m => new RunUnmatched(m, RunUnmatched.RemovedByCoordinator, removed.Round))],
        };
    }

    public MatchingRun Apply(ProposalAdded e) => this with
    {
        Proposals = [.. Proposals, e.Proposal],
        Unmatched = [.. Unmatched.Where(u => u.Round != e.Proposal.Round || !e.Proposal.MenteeIds.Contains(u.EnrolmentId))],
    };

    public MatchingRun Apply(MenteesSwapped e) => this with
    {
        Proposals = [.. Proposals.Select(p => e.Revised.FirstOrDefault(r => r.Id == p.Id) ?? p)],
    };

    public MatchingRun Apply(MatchingRunPublished e) => this with { Status = RunStatus.Published, MatchIds = e.MatchIds };

    /// <summary>The state after any review event (not named Evolve: Marten would take that for its own aggregation hook).</summary>
    public MatchingRun After(object e) => e switch
    {
        MatchingRunCompleted x => Apply(x),
        MatchingRunFailed x => Apply(x),
        ProposalPinned x => Apply(x),
        ProposalRemoved x => Apply(x),
        ProposalAdded x => Apply(x),
        MenteesSwapped x => Apply(x),
        MatchingRunPublished x => Apply(x),
        _ => throw new ArgumentException($"A matching run has no event {e.GetType().Name}.", nameof(e)),
    };

    public RunProposal? ProposalOf(Guid menteeId) => Proposals.FirstOrDefault(p => p.MenteeIds.Contains(menteeId));
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Published = "published";
}

public static class RunTriggers
{
    public const string Coordinator = "coordinator";
    public const string Enrolment = "enrolment";
    public const string Decline = "decline";
    public const string Withdrawal = "withdrawal";
}

using System.ComponentModel.DataAnnotations;
using Torace.Matching.Engine;

namespace Torace.Matching.Runs;

public sealed record FactorResponse(string Name, int Weight, int Cost, string Detail);

public sealed record ProposalResponse(
    Guid Id,
    Guid MentorId,
    IReadOnlyList<Guid> MenteeIds,
    double Score,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<FactorResponse> Factors,
    int Round,
    bool Pinned,
    [property: AllowedValues("engine", "coordinator")] string Source);

public sealed record UnmatchedResponse(Guid EnrolmentId, string Reason, int Round);

/// <summary>A run was accepted; poll its Location until <c>status</c> is no longer <c>running</c>.</summary>
/// <remarks>
/// The start's answer (Programs) and a run's answer while Matching has not taken it up yet (the gateway's, from Programs):
/// one schema in the public document, so the same record as <c>Torace.Programs.MatchingRequests.RunAccepted</c>.
/// </remarks>
public sealed record RunAccepted(Guid Id, [property: AllowedValues("running")] string Status);

/// <summary>
/// A matching run: its status, one page of its proposals and of the mentees it left waiting (each with its reason), the
/// totals of both, and <c>next</c> for the following page when there is more.
/// </summary>
public sealed record RunResponse(
    Guid Id,
    Guid ProgramId,
    [property: AllowedValues("running", "completed", "failed", "published")] string Status,
    [property: AllowedValues("coordinator", "enrolment", "decline", "withdrawal")] string Trigger,
    DateTimeOffset StartedAt,
    int CoveredEnrolments,
    string? Error,
    Guid? KeepPinnedFrom,
    IReadOnlyList<ProposalResponse> Proposals,
    IReadOnlyList<UnmatchedResponse> Unmatched,
    int ProposalCount,
    int UnmatchedCount,
    IReadOnlyList<Guid> MatchIds,
    double? Seconds,
    string? Next)
{
    public static RunResponse From(MatchingRun run, int offset = 0, int limit = int.MaxValue, string? next = null) => new(
        run.Id, run.ProgramId, run.Status, run.Trigger, run.StartedAt, run.Covers?.Count ?? 0, run.Error, run.KeepPinnedFrom,
        [.. run.Proposals.Skip(offset).Take(limit).Select(Proposal)],
        [.. run.Unmatched.Skip(offset).Take(limit).Select(u => new UnmatchedResponse(u.EnrolmentId, u.Reason, u.Round))],
        run.Proposals.Count, run.Unmatched.Count, run.MatchIds, run.Seconds, next);

    static ProposalResponse Proposal(RunProposal p) => new(p.Id, p.MentorId, p.MenteeIds, p.Score, p.Reasons,
        [.. p.Factors.Select(Factor)], p.Round, p.Pinned, p.Source);

    static FactorResponse Factor(MatchFactor f) => new(f.Name, f.Weight, f.Cost, f.Detail);
}

/// <summary>A run in the program's list of runs: what it is, not every proposal.</summary>
public sealed record RunSummary(
    Guid Id,
    [property: AllowedValues("running", "completed", "failed", "published")] string Status,
    [property: AllowedValues("coordinator", "enrolment", "decline", "withdrawal")] string Trigger,
    DateTimeOffset StartedAt,
    int ProposalCount,
    int UnmatchedCount,
    int MatchCount,
    string? Error)
{
    public static RunSummary From(MatchingRun run) =>
        new(run.Id, run.Status, run.Trigger, run.StartedAt, run.Proposals.Count, run.Unmatched.Count, run.MatchIds.Count, run.Error);
}

using Torace.Matching.Engine;
using Torace.Platform.Api;

namespace Torace.Matching.Runs;

public sealed record MatchingRunStarted(Guid RunId, Guid ProgramId, string Engine, DateTimeOffset StartedAt);

public sealed record MatchingRunCompleted(Guid RunId, IReadOnlyList<Proposal> Proposals, IReadOnlyList<Unmatched> Unmatched, DateTimeOffset CompletedAt);

public sealed record MatchingRunPublished(Guid RunId, IReadOnlyList<Guid> MatchIds, DateTimeOffset PublishedAt);

/// <summary>A matching run as its stream tells it: started, proposals made, published.</summary>
public sealed record MatchingRun(
    Guid Id,
    Guid ProgramId,
    string Status,
    IReadOnlyList<Proposal> Proposals,
    IReadOnlyList<Unmatched> Unmatched,
    IReadOnlyList<Guid> MatchIds)
{
    public static MatchingRun Create(MatchingRunStarted e) => new(e.RunId, e.ProgramId, RunStatus.Running, [], [], []);

    public MatchingRun Apply(MatchingRunCompleted e) => this with { Status = RunStatus.Completed, Proposals = e.Proposals, Unmatched = e.Unmatched };

    public MatchingRun Apply(MatchingRunPublished e) => this with { Status = RunStatus.Published, MatchIds = e.MatchIds };
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Published = "published";
}

public static class MatchingRunDecisions
{
    public static MatchingRunPublished Publish(MatchingRun run, Func<Guid> newId, DateTimeOffset now) => run.Status switch
    {
        RunStatus.Completed when run.Proposals.Count > 0 => new MatchingRunPublished(run.Id, [.. run.Proposals.Select(_ => newId())], now),
        RunStatus.Completed => throw Rejected.Conflict("The run proposed no matches; there is nothing to publish."),
        RunStatus.Published => throw Rejected.Conflict("The run is already published."),
        _ => throw Rejected.Conflict($"The run is {run.Status}; only a completed run can be published."),
    };
}

using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.MatchingRequests;

/// <summary>A run this service asked Matching for; Matching may not have taken it up yet.</summary>
public sealed record RequestedRun(Guid Id, Guid ProgramId, DateTimeOffset RequestedAt);

/// <summary>
/// Writes a <see cref="RequestedRun"/> in the transaction that appends <see cref="MatchingRequested"/>, so from the
/// moment the start is answered this service can tell "asked for, not yet held by Matching" from "no such run".
/// </summary>
public sealed partial class RequestedRunProjection : EventProjection
{
    public RequestedRunProjection()
    {
        Name = "requested-runs";
        IncludeType<MatchingRequested>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is MatchingRequested requested)
        {
            operations.Store(new RequestedRun(requested.RunId, requested.ProgramId, requested.RequestedAt));
        }
        return ValueTask.CompletedTask;
    }
}

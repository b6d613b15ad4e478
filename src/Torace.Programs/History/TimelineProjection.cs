using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Torace.Platform.Storage;
using Torace.Programs.Enrolment;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.History;

/// <summary>
/// The timeline entries of the Programs service's own events (program and enrolment streams), written inline in the
/// transaction that appends the event, so the timeline is never behind the answer that changed it. A rebuild replays
/// the streams into the same entries (same ids, same facts). It leaves the entries recorded from other services'
/// messages alone: those have no stream here, they are the consumers' documents.
/// </summary>
public sealed partial class TimelineProjection : EventProjection
{
    public const string ProjectionName = "program-timeline";

    public TimelineProjection()
    {
        Name = ProjectionName;
        IncludeType<ProgramCreated>();
        IncludeType<ProgramDefinitionChanged>();
        IncludeType<ProgramOpened>();
        IncludeType<EnrolmentClosed>();
        IncludeType<MatchingRequested>();
        IncludeType<ProgramStarted>();
        IncludeType<ProgramCompleted>();
        IncludeType<ProgramCancelled>();
        IncludeType<ParticipantEnrolled>();
        IncludeType<ParticipantProfileChanged>();
        IncludeType<ParticipantWithdrawn>();
        DeletePublishedTypesOnTeardown = false;
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        var actor = e.Headers?.TryGetValue(TenantSessionFactory.ActorHeader, out var value) == true ? value?.ToString() : null;
        if (TimelineFacts.ForOwn(e.Id, e.Data, e.Timestamp, actor) is { } entry)
        {
            operations.Store(entry);
        }
        return ValueTask.CompletedTask;
    }
}

using JasperFx.Events;
using Torace.Contracts.Matching;
using Torace.Matching.Matches;
using Torace.Platform.Messaging;

namespace Torace.Matching;

public sealed class MatchingIntegrationEvents : IIntegrationEventMap
{
    public object? ToIntegrationEvent(IEvent stored) => stored.Data switch
    {
        MatchPublished e => new MatchProposed(
            stored.TenantId, e.Program.ProgramId, e.MatchId, e.RunId, e.Program.Name, e.Mentor, e.Mentees,
            e.Program.Sessions, e.Program.PreReflection, e.Program.PostReflection, e.Program.Touchpoints,
            e.Program.Message, e.Score, e.Reasons, e.PublishedAt),
        _ => null,
    };
}

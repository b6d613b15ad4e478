using JasperFx.Events;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Matching.Candidates;
using Torace.Matching.Matches;
using Torace.Matching.Runs;
using Torace.Matching.Waitlist;
using Torace.Platform.Messaging;

namespace Torace.Matching;

/// <summary>Which of Matching's stored events leave the service, and in what shape.</summary>
public sealed class MatchingIntegrationEvents : IIntegrationEventMap
{
    public object? ToIntegrationEvent(IEvent stored) => stored.Data switch
    {
        MatchPublished e => new MatchProposed(
            stored.TenantId, e.Program.ProgramId, e.MatchId, e.RunId, e.Program.Name, e.Mentor.AsParticipant(),
            [.. e.Mentees.Select(m => m.AsParticipant())],
            SessionsOf(e), e.Program.PreReflection, e.Program.PostReflection, e.Program.Touchpoints,
            e.Program.Message, e.Score, e.Reasons, e.PublishedAt, e.Program.Reminders, e.Round, RoundsOf(e.Program), e.Program.Topic),
        MatchDeclinedByParticipant e => new MatchDeclined(
            stored.TenantId, e.ProgramId, e.MatchId, e.Decliner.EnrolmentId, e.Reason, e.DeclinedAt, e.EndsMatch, e.Withdrawn),
        MatchingRunStarted { Queued: true } e => new MatchingRunQueued(stored.TenantId, e.ProgramId, e.RunId, e.Covers ?? [], e.RequestedAt ?? e.StartedAt, e.StartedAt, e.ProfilesAt),
        CandidateWaiting e => new PlacementWanted(stored.TenantId, e.ProgramId, e.EnrolmentId, e.Role),
        _ => null,
    };

    static int RoundsOf(MatchingProgram program) => Math.Max(1, program.Matching.Rounds);

    /// <summary>
    /// A speed-mentoring pairing meets once, in its round (the session of that number in the event's engagement) at its
    /// round's time; any other match has the program's sessions.
    /// </summary>
    public static IReadOnlyList<SessionPlan> SessionsOf(MatchPublished match)
    {
        if (RoundsOf(match.Program) == 1)
        {
            return match.Program.Sessions;
        }
        var minutes = (match.Program.Reminders ?? EngagementRules.Default).SessionMinutes;
        var eventSession = match.Program.Sessions.OrderBy(s => s.Number).First();
        return [eventSession with { Number = match.Round, StartsAt = SpeedRounds.StartOf(eventSession.StartsAt, match.Round, minutes) }];
    }
}

using Torace.Platform.Api;

namespace Torace.Scheduling.Engagements;

/// <summary>Decide: command + engagement → new events, or a rejection. Repeating a done command changes nothing.</summary>
public static class EngagementDecisions
{
    public static IReadOnlyList<object> CompleteSession(Engagement engagement, int number, DateTimeOffset now)
    {
        var session = engagement.Session(number) ?? throw Rejected.NotFound($"The engagement has no session {number}.");
        if (engagement.Status == EngagementStatus.Cancelled)
        {
            throw Rejected.Conflict("The engagement was cancelled: its match ended (declined, or a participant withdrew).");
        }
        if (session.Status == SessionStatus.Completed)
        {
            return [];
        }

        var completed = new SessionCompleted(engagement.Id, engagement.ProgramId, number, engagement.ProgramName, [.. engagement.Participants], now);
        var allDone = engagement.Sessions.All(s => s.Number == number || s.Status == SessionStatus.Completed);
        return allDone ? [completed, new EngagementCompleted(engagement.Id, engagement.ProgramId, now, engagement.MatchId)] : [completed];
    }

    public static IReadOnlyList<object> Submit(Engagement engagement, Guid touchpointId, string? response, DateTimeOffset now)
    {
        var touchpoint = engagement.Touchpoint(touchpointId) ?? throw Rejected.NotFound($"The engagement has no touchpoint {touchpointId}.");
        if (touchpoint.Kind == TouchpointKinds.SessionReminder)
        {
            throw Rejected.Conflict("A session reminder takes no submission.");
        }
        return touchpoint.Status == TouchpointStatus.Submitted
            ? []
            : [new TouchpointSubmitted(engagement.Id, engagement.ProgramId, touchpointId, touchpoint.Kind, response, now)];
    }

    /// <summary>A decline or withdrawal ends the engagement, or (one mentee of a group) removes that mentee from it.</summary>
    public static IReadOnlyList<object> Decline(Engagement engagement, Guid enrolmentId, bool matchEnded, string? reason, DateTimeOffset now)
    {
        if (engagement.Status != EngagementStatus.Active)
        {
            return [];
        }
        if (matchEnded)
        {
            return [new EngagementCancelled(engagement.Id, engagement.ProgramId, reason, now, engagement.MatchId)];
        }
        return engagement.Mentees.Any(m => m.EnrolmentId == enrolmentId)
            ? [new ParticipantLeft(engagement.Id, engagement.ProgramId, enrolmentId, now)]
            : [];
    }

    /// <summary>The program was cancelled: an engagement still going ends, with the coordinator's reason.</summary>
    public static IReadOnlyList<object> EndWithProgram(Engagement engagement, string reason, DateTimeOffset now) =>
        engagement.Status == EngagementStatus.Active
            ? [new EngagementCancelled(engagement.Id, engagement.ProgramId, $"program cancelled: {reason}", now, engagement.MatchId)]
            : [];

    /// <summary>The sweeper found the touchpoint due: tell its recipients, unless it was already answered.</summary>
    public static IReadOnlyList<object> MarkDue(Engagement engagement, Guid touchpointId)
    {
        if (engagement.Status == EngagementStatus.Cancelled
            || engagement.Touchpoint(touchpointId) is not { Status: TouchpointStatus.Scheduled } touchpoint)
        {
            return [];
        }
        var recipients = engagement.Participants.Where(p => touchpoint.RecipientIds.Contains(p.EnrolmentId)).ToList();
        return recipients.Count == 0 ? [] : [new TouchpointBecameDue(engagement.Id, engagement.ProgramId, touchpoint.Id, touchpoint.Kind, touchpoint.SessionNumber,
            touchpoint.DueAt, engagement.ProgramName, recipients)];
    }
}

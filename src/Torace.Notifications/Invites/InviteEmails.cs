using Torace.Contracts;
using Torace.Notifications.Email;

namespace Torace.Notifications.Invites;

/// <summary>The emails that carry a session's invite: a date set or moved, and an engagement ended. Pure: no sending, no clock.</summary>
public static class InviteEmails
{
    public const string SessionScheduledKind = "session-scheduled";
    public const string SessionRescheduledKind = "session-rescheduled";
    public const string EngagementEndedKind = "engagement-ended";

    /// <summary>The match a session's UID is made from; events stored before they carried the match use the engagement.</summary>
    public static Guid MatchOf(Guid matchId, Guid engagementId) => matchId == Guid.Empty ? engagementId : matchId;

    public static IEnumerable<EmailMessage> ForDate(SessionInvite invite, string programName, IReadOnlyList<Participant> participants,
        DateTimeOffset? previousStartsAt, string? reason, Sender sender, DateTimeOffset at)
    {
        var session = invite.Session;
        var calendar = SessionInvites.Requesting(invite.MatchId, programName, participants, session, sender, at);
        return participants.Select(p => previousStartsAt is { } previous
            ? new EmailMessage(p.Email, p.Name, p.EnrolmentId, SessionRescheduledKind, $"Moved: session {session.Number} of {programName}",
                EmailComposer.Page(p.Name,
                    EmailComposer.Paragraph($"Session {session.Number} of {programName} has moved from {EmailComposer.Local(previous, p.TimeZone)} "
                        + $"to {EmailComposer.Local(session.StartsAt, p.TimeZone)} ({SessionInvites.Where(session.Modality)})."),
                    reason is { Length: > 0 } ? EmailComposer.Paragraph($"Reason: {reason}") : "",
                    EmailComposer.Paragraph("The invite attached updates the event already in your calendar.")),
                calendar)
            : new EmailMessage(p.Email, p.Name, p.EnrolmentId, SessionScheduledKind, $"Session {session.Number} of {programName}: {EmailComposer.Local(session.StartsAt, p.TimeZone)}",
                EmailComposer.Page(p.Name,
                    EmailComposer.Paragraph($"Session {session.Number} of {programName} is on {EmailComposer.Local(session.StartsAt, p.TimeZone)}, "
                        + $"{session.Minutes} minutes ({SessionInvites.Where(session.Modality)})."),
                    EmailComposer.Paragraph("Add it to your calendar with the invite attached.")),
                calendar));
    }

    /// <summary>
    /// Each session still ahead is cancelled for the people invited to it, one email per session and person (one UID
    /// per message); a session already held stays in the calendars, and nothing goes out when no invite was sent.
    /// </summary>
    public static IEnumerable<EmailMessage> ForEnd(IReadOnlyList<SessionInvite> sent, string? reason, Sender sender, DateTimeOffset at) =>
        from invite in sent.Where(i => i.Session.StartsAt > at).OrderBy(i => i.Session.Number)
        let calendar = SessionInvites.Cancelling(invite.MatchId, invite.ProgramName, invite.Attendees, invite.Session, sender, at)
        from p in invite.Attendees
        select new EmailMessage(p.Email, p.Name, p.EnrolmentId, EngagementEndedKind, $"Cancelled: session {invite.Session.Number} of {invite.ProgramName}",
            EmailComposer.Page(p.Name,
                EmailComposer.Paragraph($"Your mentoring engagement in {invite.ProgramName} has ended, so session {invite.Session.Number} "
                    + $"({EmailComposer.Local(invite.Session.StartsAt, p.TimeZone)}) will not take place."),
                reason is { Length: > 0 } ? EmailComposer.Paragraph($"Reason: {reason}") : "",
                EmailComposer.Paragraph("The invite attached removes it from your calendar.")),
            calendar);
}

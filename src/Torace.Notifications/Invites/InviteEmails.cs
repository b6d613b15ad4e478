using Torace.Contracts;
using Torace.Notifications.Email;
using Torace.Notifications.Templates;

namespace Torace.Notifications.Invites;

/// <summary>The emails that carry a session's invite: a date set or moved, and an engagement ended. Pure: no sending, no clock.</summary>
public static class InviteEmails
{
    public const string SessionScheduledKind = EmailKinds.SessionScheduled;
    public const string SessionRescheduledKind = EmailKinds.SessionRescheduled;
    public const string EngagementEndedKind = EmailKinds.EngagementEnded;

    /// <summary>The match a session's UID is made from; events stored before they carried the match use the engagement.</summary>
    public static Guid MatchOf(Guid matchId, Guid engagementId) => matchId == Guid.Empty ? engagementId : matchId;

    public static IEnumerable<EmailMessage> ForDate(SessionInvite invite, string programName, IReadOnlyList<Participant> participants,
        DateTimeOffset? previousStartsAt, string? reason, Sender sender, DateTimeOffset at, TemplateSet templates)
    {
        var session = invite.Session;
        var calendar = SessionInvites.Requesting(invite.MatchId, programName, participants, session, sender, at);
        return participants.Select(p => previousStartsAt is { } previous
            ? templates.Write(SessionRescheduledKind, p.Email, p.Name, p.EnrolmentId, new SessionDateDetails(programName, session.Number,
                EmailComposer.Local(session.StartsAt, p.TimeZone), EmailComposer.Local(previous, p.TimeZone), session.Minutes, SessionInvites.Where(session.Modality), reason),
                invite: calendar)
            : templates.Write(SessionScheduledKind, p.Email, p.Name, p.EnrolmentId, new SessionDateDetails(programName, session.Number,
                EmailComposer.Local(session.StartsAt, p.TimeZone), null, session.Minutes, SessionInvites.Where(session.Modality), reason),
                invite: calendar));
    }

    /// <summary>
    /// Each session still ahead is cancelled for the people invited to it, one email per session and person (one UID
    /// per message); a session already held stays in the calendars, and nothing goes out when no invite was sent.
    /// </summary>
    public static IEnumerable<EmailMessage> ForEnd(IReadOnlyList<SessionInvite> sent, string? reason, Sender sender, DateTimeOffset at, TemplateSet templates) =>
        from invite in sent.Where(i => i.Session.StartsAt > at).OrderBy(i => i.Session.Number)
        let calendar = SessionInvites.Cancelling(invite.MatchId, invite.ProgramName, invite.Attendees, invite.Session, sender, at)
        from p in invite.Attendees
        select templates.Write(EngagementEndedKind, p.Email, p.Name, p.EnrolmentId,
            new SessionCancelledDetails(invite.ProgramName, invite.Session.Number, EmailComposer.Local(invite.Session.StartsAt, p.TimeZone), reason),
            invite: calendar);
}

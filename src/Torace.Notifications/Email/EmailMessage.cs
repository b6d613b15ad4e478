using System.Globalization;
using System.Net;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Programs;
using Torace.Contracts.Scheduling;
using Torace.Notifications.Branding;
using Torace.Notifications.Invites;
using Torace.Notifications.Links;
using Torace.Platform.Tenancy;

namespace Torace.Notifications.Email;

/// <summary>
/// One email to one person (<see cref="RecipientId"/> their enrolment, when known: what an erasure finds the address by);
/// <see cref="Invite"/> is the calendar invite it carries, if any. <see cref="Html"/> is the message; the district's
/// frame (<see cref="Brand"/>, set when the email is handed over) is added around it as it is sent.
/// </summary>
public sealed record EmailMessage(
    string To, string ToName, Guid? RecipientId, string Kind, string Subject, string Html, CalendarInvite? Invite = null, DistrictBrand? Brand = null);

/// <summary>
/// What each participant is told, in their own time zone, with a one-click link for what they can do about it
/// (<see cref="LinkFor"/>). Pure: no sending, no clock.
/// </summary>
public static class EmailComposer
{
    public const string MatchKind = "match";
    public const string DateProposedKind = "date-proposed";
    public const string FeedbackAskedKind = "feedback-asked";
    public const string SessionCompletedKind = "session-completed";
    public const string ProgramCancelledKind = "program-cancelled";

    /// <summary>
    /// The mentor and each mentee hear who they are matched with; the sessions whose dates the program fixed follow as
    /// invites of their own (see <see cref="Invited"/>).
    /// </summary>
    public static IEnumerable<EmailMessage> ForMatch(MatchProposed match, LinkFor links)
    {
        yield return Compose(match.Mentor, MatchKind, $"You are matched as a mentor: {match.ProgramName}",
            $"You will mentor {string.Join("; ", match.Mentees.Select(Who))} in {match.ProgramName}.", match, links);
        foreach (var mentee in match.Mentees)
        {
            // A group's mentees meet together: each hears who the others are.
            var others = match.Mentees.Where(m => m.EnrolmentId != mentee.EnrolmentId).Select(Who).ToList();
            yield return Compose(mentee, MatchKind, $"You have a mentor: {match.ProgramName}",
                $"Your mentor in {match.ProgramName} is {Who(match.Mentor)}."
                + (others.Count == 0 ? "" : $" Also in your group: {string.Join("; ", others)}."), match, links);
        }
    }

    /// <summary>A person as a match email names them: name, school or site, and how to reach them.</summary>
    static string Who(Participant p) => $"{p.Name}, {p.Site} ({p.Email})";

    /// <summary>The match's sessions with a date, as their invites (sequence 0: no move yet), the mentor and mentees invited.</summary>
    public static IReadOnlyList<SessionInvite> Invited(MatchProposed match) =>
    [
        .. match.Sessions.Where(s => s.StartsAt is not null).OrderBy(s => s.Number).Select(s => SessionInvite.For(match.MatchId, match.ProgramName,
            [.. match.Mentees.Prepend(match.Mentor)],
            new InvitedSession(s.Number, s.StartsAt!.Value, (match.Reminders ?? EngagementRules.Default).SessionMinutes, s.Modality, 0))),
    ];

    /// <summary>
    /// A reflection or report links to its form; a session reminder to marking the session done and to proposing another
    /// date; every reminder to stopping them.
    /// </summary>
    public static IEnumerable<EmailMessage> ForTouchpoint(TouchpointDue due, LinkFor links) =>
        due.Recipients.Select(r => new EmailMessage(r.Email, r.Name, r.EnrolmentId, due.Kind, (due.Nudge ? "Overdue: " : "") + TouchpointSubject(due),
            Page(r.Name,
                Paragraph(TouchpointText(due, r)),
                due.Prompt is { Length: > 0 } prompt ? Paragraph(prompt) : "",
                due.Kind == "session-reminder" && due.SessionNumber is { } number
                    ? Action(links(r, ParticipantActions.CompleteSession, LinkTargets.Session(due.EngagementId, number)), $"Mark session {number} done")
                      + Action(links(r, ParticipantActions.ScheduleSession, LinkTargets.Session(due.EngagementId, number)), "Propose another date")
                    : Action(links(r, ParticipantActions.SubmitTouchpoint, LinkTargets.Touchpoint(due.EngagementId, due.TouchpointId)),
                        $"Write your {due.Kind.Replace('-', ' ')}"),
                Paragraph($"Program: {due.ProgramName}"),
                Small(links(r, ParticipantActions.StopReminders, LinkTargets.Enrolment(due.ProgramId, r.EnrolmentId)), "Stop these reminders"))));

    /// <summary>Everyone else in the engagement is asked to confirm the date one of them proposed, or to propose another.</summary>
    public static IEnumerable<EmailMessage> ForDateProposed(SessionDateProposed proposed, LinkFor links)
    {
        var proposer = proposed.Participants.FirstOrDefault(p => p.EnrolmentId == proposed.ProposedBy);
        return proposed.Participants.Where(p => p.EnrolmentId != proposed.ProposedBy).Select(to => new EmailMessage(to.Email, to.Name, to.EnrolmentId,
            DateProposedKind, $"A date for session {proposed.SessionNumber} of {proposed.ProgramName}: please confirm",
            Page(to.Name,
                Paragraph($"{proposer?.Name ?? "Your partner"} proposes {Local(proposed.StartsAt, to.TimeZone)} ({proposed.Modality}) for session "
                    + $"{proposed.SessionNumber} of {proposed.ProgramName}."),
                proposed.Reason is { Length: > 0 } reason ? Paragraph($"Their note: {reason}") : "",
                Action(links(to, ParticipantActions.ScheduleSession, LinkTargets.Session(proposed.EngagementId, proposed.SessionNumber)),
                    "Confirm the date or propose another"))));
    }

    /// <summary>A mentee's report reaches their mentors, each with a link to give feedback on it; a mentor's own submission asks nothing.</summary>
    public static IEnumerable<EmailMessage> ForSubmission(TouchpointSubmitted submitted, LinkFor links)
    {
        if (submitted.Submitter is not { } mentee || submitted.Mentors is not { } mentors || mentors.Any(m => m.EnrolmentId == mentee.EnrolmentId))
        {
            return [];
        }
        var what = submitted.Kind.Replace('-', ' ');
        return mentors.Select(to => new EmailMessage(to.Email, to.Name, to.EnrolmentId, FeedbackAskedKind,
            $"{mentee.Name} sent their {what}: {submitted.ProgramName}",
            Page(to.Name,
                Paragraph($"{mentee.Name} sent their {what} for {submitted.ProgramName}. A few lines of feedback from you help them take the next step."),
                Action(links(to, ParticipantActions.GiveFeedback, LinkTargets.Touchpoint(submitted.EngagementId, submitted.TouchpointId)),
                    "Read it and give feedback"))));
    }

    public static IEnumerable<EmailMessage> ForSessionCompleted(SessionCompleted done) =>
        done.Participants.Select(p => new EmailMessage(p.Email, p.Name, p.EnrolmentId, SessionCompletedKind,
            $"Session {done.SessionNumber} of {done.ProgramName} is done",
            Page(p.Name, Paragraph($"Thank you: session {done.SessionNumber} of {done.ProgramName} is marked complete."))));

    /// <summary>Everyone told of a match in the program (the delivery log knows them by address) hears it will not go ahead.</summary>
    public static IEnumerable<EmailMessage> ForCancellation(ProgramCancelled cancelled, IReadOnlyList<string> recipients) =>
        recipients.Select(email => new EmailMessage(email, "", null, ProgramCancelledKind, $"Cancelled: {cancelled.ProgramName}",
            Page("",
                Paragraph($"{cancelled.ProgramName} has been cancelled by its coordinator, so its sessions and reminders will not go ahead."),
                Paragraph($"Reason: {cancelled.Reason}"))));

    static EmailMessage Compose(Participant to, string kind, string subject, string lead, MatchProposed match, LinkFor links)
    {
        // A speed-mentoring pairing meets once, in its round of the event.
        var sessions = match.Sessions.Select(s =>
            $"{(match.InSpeedEvent ? $"Round {s.Number} of {match.Rounds}" : $"Session {s.Number}")} ({s.Modality}){(s.StartsAt is { } at ? ": " + Local(at, to.TimeZone) : "")}");
        var guide = match.Message.GuideUrl is { } url
            ? $"<p>Session guide: <a href=\"{WebUtility.HtmlEncode(url)}\">{WebUtility.HtmlEncode(url)}</a></p>"
            : "";
        return new EmailMessage(to.Email, to.Name, to.EnrolmentId, kind, subject, Page(to.Name,
            Paragraph(lead),
            Paragraph(match.Message.Text),
            guide,
            "<ul>" + string.Concat(sessions.Select(s => $"<li>{WebUtility.HtmlEncode(s)}</li>")) + "</ul>",
            Small(links(to, ParticipantActions.DeclineMatch, LinkTargets.Match(match.ProgramId, match.MatchId)), "Cannot take part? Decline this match")));
    }

    static string TouchpointSubject(TouchpointDue due) => due.Kind switch
    {
        "pre-reflection" => $"Before your first session: a short reflection ({due.ProgramName})",
        "post-reflection" => $"After your sessions: a short reflection ({due.ProgramName})",
        "session-reminder" => $"Reminder: session {due.SessionNumber} of {due.ProgramName}",
        _ => $"Between sessions: {due.Kind.Replace('-', ' ')} ({due.ProgramName})",
    };

    static string TouchpointText(TouchpointDue due, Participant to) => due.Kind switch
    {
        "session-reminder" => $"Session {due.SessionNumber} is coming up; this reminder was due {Local(due.DueAt, to.TimeZone)}.",
        _ when due.Nudge => $"Your {due.Kind.Replace('-', ' ')} was due {Local(due.DueAt, to.TimeZone)} and is still open: a few lines are enough.",
        _ => $"Your {due.Kind.Replace('-', ' ')} is due {Local(due.DueAt, to.TimeZone)}.",
    };

    internal static string Local(DateTimeOffset at, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return local.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";
    }

    internal static string Paragraph(string text) => $"<p>{WebUtility.HtmlEncode(text)}</p>";

    /// <summary>A link drawn as a button: what the email asks the reader to do. Nothing when there is no link.</summary>
    internal static string Action(string? url, string text) => url is null ? "" :
        $"<p><a href=\"{WebUtility.HtmlEncode(url)}\" style=\"display:inline-block;padding:10px 16px;background:{EmailLayout.ButtonColour};color:#ffffff;"
        + $"border-radius:6px;text-decoration:none;font-weight:600\">{WebUtility.HtmlEncode(text)}</a></p>";

    /// <summary>A plain link in small print (opting out, declining): there when needed, not the email's point.</summary>
    internal static string Small(string? url, string text) => url is null ? "" :
        $"<p style=\"font-size:13px\"><a href=\"{WebUtility.HtmlEncode(url)}\">{WebUtility.HtmlEncode(text)}</a></p>";

    /// <summary>The message: a greeting, its parts and the sign-off (the district's frame is added as it is sent: <see cref="EmailLayout"/>).</summary>
    internal static string Page(string name, params string[] parts) =>
        $"<p>Hello{(name.Length == 0 ? "" : " " + WebUtility.HtmlEncode(name))},</p>{string.Concat(parts)}<p>— Torace</p>";
}

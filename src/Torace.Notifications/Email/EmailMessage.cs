using System.Globalization;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Programs;
using Torace.Contracts.Scheduling;
using Torace.Notifications.Branding;
using Torace.Notifications.Invites;
using Torace.Notifications.Links;
using Torace.Notifications.Templates;
using Torace.Platform.Tenancy;

namespace Torace.Notifications.Email;

/// <summary>
/// One email to one person (<see cref="RecipientId"/> their enrolment, when known: what an erasure finds the address by);
/// <see cref="Invite"/> is the calendar invite it carries, if any. <see cref="Html"/> is the message; the district's
/// frame (<see cref="Brand"/>) is added around it as it is sent. <see cref="Text"/> is the plain-text part when the
/// district's template words one; otherwise it is read from the HTML.
/// </summary>
public sealed record EmailMessage(
    string To, string ToName, Guid? RecipientId, string Kind, string Subject, string Html, CalendarInvite? Invite = null, DistrictBrand? Brand = null,
    string? Text = null);

/// <summary>
/// What each participant is told, in their own time zone, with a one-click link for what they can do about it
/// (<see cref="LinkFor"/>), in the words of the district's templates (<see cref="TemplateSet"/>). Pure: no sending, no clock.
/// </summary>
public static class EmailComposer
{
    public const string MatchKind = EmailKinds.Match;
    public const string DateProposedKind = EmailKinds.DateProposed;
    public const string FeedbackAskedKind = EmailKinds.FeedbackAsked;
    public const string SessionCompletedKind = EmailKinds.SessionCompleted;
    public const string ProgramCancelledKind = EmailKinds.ProgramCancelled;

    /// <summary>
    /// The mentor and each mentee hear who they are matched with; the sessions whose dates the program fixed follow as
    /// invites of their own (see <see cref="Invited"/>).
    /// </summary>
    public static IEnumerable<EmailMessage> ForMatch(MatchProposed match, LinkFor links, TemplateSet templates)
    {
        var mentor = Person(match.Mentor);
        var mentees = match.Mentees.Select(Person).ToList();
        EmailMessage Write(Participant to, string role, IReadOnlyList<PersonModel> group)
        {
            // A speed-mentoring pairing meets once, in its round of the event.
            var sessions = match.Sessions.Select(s => new SessionModel(s.Number,
                match.InSpeedEvent ? $"Round {s.Number} of {match.Rounds}" : $"Session {s.Number}", s.Modality,
                s.StartsAt is { } at ? Local(at, to.TimeZone) : null)).ToList();
            return templates.Write(MatchKind, to.Email, to.Name, to.EnrolmentId, new MatchDetails(role, match.ProgramName, match.Topic?.Replace('-', ' '), mentor, mentees, group,
                match.Message.Text, match.Message.GuideUrl, sessions,
                links(to, ParticipantActions.DeclineMatch, LinkTargets.Match(match.ProgramId, match.MatchId))));
        }
        yield return Write(match.Mentor, "mentor", []);
        foreach (var mentee in match.Mentees)
        {
            // A group's mentees meet together: each hears who the others are.
            yield return Write(mentee, "mentee", [.. match.Mentees.Where(m => m.EnrolmentId != mentee.EnrolmentId).Select(Person)]);
        }
    }

    static PersonModel Person(Participant p) => new(p.Name, p.Email, p.Site);

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
    public static IEnumerable<EmailMessage> ForTouchpoint(TouchpointDue due, LinkFor links, TemplateSet templates) =>
        due.Recipients.Select(r =>
        {
            var what = due.Kind.Replace('-', ' ');
            IEnumerable<ActionModel?> actions = due.Kind == "session-reminder" && due.SessionNumber is { } number
                ?
                [
                    Act(links(r, ParticipantActions.CompleteSession, LinkTargets.Session(due.EngagementId, number)), $"Mark session {number} done"),
                    Act(links(r, ParticipantActions.ScheduleSession, LinkTargets.Session(due.EngagementId, number)), "Propose another date"),
                ]
                : [Act(links(r, ParticipantActions.SubmitTouchpoint, LinkTargets.Touchpoint(due.EngagementId, due.TouchpointId)), $"Write your {what}")];
            return templates.Write(EmailKinds.Reminder, r.Email, r.Name, r.EnrolmentId, new ReminderDetails(due.Kind, what, due.Nudge, due.SessionNumber,
                Local(due.DueAt, r.TimeZone), due.ProgramName, due.Prompt, [.. actions.OfType<ActionModel>()],
                links(r, ParticipantActions.StopReminders, LinkTargets.Enrolment(due.ProgramId, r.EnrolmentId))), deliveryKind: due.Kind);
        });

    static ActionModel? Act(string? url, string text) => url is null ? null : new(url, text);

    /// <summary>Everyone else in the engagement is asked to confirm the date one of them proposed, or to propose another.</summary>
    public static IEnumerable<EmailMessage> ForDateProposed(SessionDateProposed proposed, LinkFor links, TemplateSet templates)
    {
        var proposer = proposed.Participants.FirstOrDefault(p => p.EnrolmentId == proposed.ProposedBy);
        return proposed.Participants.Where(p => p.EnrolmentId != proposed.ProposedBy).Select(to => templates.Write(DateProposedKind, to.Email, to.Name, to.EnrolmentId,
            new DateProposedDetails(proposed.ProgramName, proposed.SessionNumber, proposer?.Name ?? "Your partner", Local(proposed.StartsAt, to.TimeZone),
                proposed.Modality, proposed.Reason,
                links(to, ParticipantActions.ScheduleSession, LinkTargets.Session(proposed.EngagementId, proposed.SessionNumber)))));
    }

    /// <summary>A mentee's report reaches their mentors, each with a link to give feedback on it; a mentor's own submission asks nothing.</summary>
    public static IEnumerable<EmailMessage> ForSubmission(TouchpointSubmitted submitted, LinkFor links, TemplateSet templates)
    {
        if (submitted.Submitter is not { } mentee || submitted.Mentors is not { } mentors || mentors.Any(m => m.EnrolmentId == mentee.EnrolmentId))
        {
            return [];
        }
        var what = submitted.Kind.Replace('-', ' ');
        return mentors.Select(to => templates.Write(FeedbackAskedKind, to.Email, to.Name, to.EnrolmentId,
            new FeedbackAskedDetails(submitted.ProgramName ?? "", mentee.Name, what,
                links(to, ParticipantActions.GiveFeedback, LinkTargets.Touchpoint(submitted.EngagementId, submitted.TouchpointId)))));
    }

    public static IEnumerable<EmailMessage> ForSessionCompleted(SessionCompleted done, TemplateSet templates) =>
        done.Participants.Select(p => templates.Write(SessionCompletedKind, p.Email, p.Name, p.EnrolmentId,
            new SessionCompletedDetails(done.ProgramName, done.SessionNumber)));

    /// <summary>Everyone told of a match in the program (the delivery log knows them by address) hears it will not go ahead.</summary>
    public static IEnumerable<EmailMessage> ForCancellation(ProgramCancelled cancelled, IReadOnlyList<string> recipients, TemplateSet templates) =>
        recipients.Select(email => templates.Write(ProgramCancelledKind, email, "", null, new ProgramCancelledDetails(cancelled.ProgramName, cancelled.Reason)));

    internal static string Local(DateTimeOffset at, string timeZone)
    {
        var zone = Zone(timeZone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return local.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";
    }

    /// <summary>A participant's or district's IANA time zone; UTC for one this machine does not know.</summary>
    internal static TimeZoneInfo Zone(string timeZone) => TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone : TimeZoneInfo.Utc;
}

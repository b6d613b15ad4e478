using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Platform.Api;

namespace Torace.Scheduling.Engagements;

/// <summary>
/// Decide: command + engagement → new events, or a rejection. Repeating a done command changes nothing. Every
/// command that can finish the engagement ends with <see cref="Completed"/>: the last session done and every
/// post-reflection submitted or missed completes it, with the hours met.
/// </summary>
public static class EngagementDecisions
{
    public const int MaxTextLength = 10_000;

    /// <summary>
    /// A coordinator (or the program) sets a session's date, or moves it with a reason; a participant proposes one,
    /// which the other side confirms (<see cref="ConfirmDate"/>) or counters with a proposal of their own.
    /// </summary>
    public static IReadOnlyList<object> SetDate(
        Engagement engagement, int number, DateTimeOffset startsAt, string? modality, string? reason, Guid? participant, DateTimeOffset now)
    {
        var session = OpenSession(engagement, number);
        var chosen = modality ?? session.Modality;
        if (engagement.IsSpeedEvent)
        {
            return SetEventDate(engagement, session, startsAt, chosen, reason, participant, now);
        }
        if (participant is { } proposer)
        {
            return session.Proposal is { } p && p.StartsAt == startsAt && p.Modality == chosen && p.ProposedBy != proposer
                ? [Set(engagement, session, startsAt, chosen, reason ?? p.Reason, now)]
                : session.Proposal is { } same && same.StartsAt == startsAt && same.Modality == chosen && same.ProposedBy == proposer
                    ? []
                    : [new SessionDateProposed(engagement.Id, engagement.ProgramId, number, startsAt, chosen, proposer, reason, now,
                        engagement.ProgramName, [.. engagement.Participants])];
        }
        if (session.StartsAt == startsAt && session.Modality == chosen && session.Proposal is null)
        {
            return [];
        }
        if (session.StartsAt is not null && session.StartsAt != startsAt && string.IsNullOrWhiteSpace(reason))
        {
            throw Rejected.Invalid("reason", "Moving a session that already has a date needs a 'reason' (it goes to the participants).");
        }
        return [Set(engagement, session, startsAt, chosen, reason, now)];
    }

    /// <summary>The other side (or a coordinator) confirms a proposed date; the proposer cannot confirm their own.</summary>
    public static IReadOnlyList<object> ConfirmDate(Engagement engagement, int number, Guid? participant, DateTimeOffset now)
    {
        var session = OpenSession(engagement, number);
        if (engagement.IsSpeedEvent)
        {
            throw Rejected.Conflict(EventDatesByCoordinator);
        }
        if (session.Proposal is not { } proposal)
        {
            throw Rejected.Conflict($"Session {number} has no proposed date to confirm.");
        }
        if (participant == proposal.ProposedBy)
        {
            throw Rejected.Conflict("A proposed date is confirmed by the other side of the engagement, not by whoever proposed it.");
        }
        return [Set(engagement, session, proposal.StartsAt, proposal.Modality, proposal.Reason, now)];
    }

    public static IReadOnlyList<object> CompleteSession(Engagement engagement, int number, bool attended, string? notes, DateTimeOffset now)
    {
        var session = engagement.Session(number) ?? throw Rejected.NotFound($"The engagement has no session {number}.");
        RequireActive(engagement, allowCompleted: session.Done);
        if (session.Done)
        {
            return [];
        }
        var completed = new SessionCompleted(engagement.Id, engagement.ProgramId, number, engagement.ProgramName, engagement.PeopleOf(number), now, attended, notes);
        var reminders = engagement.Touchpoints
            .Where(t => t.IsReminder && t.SessionNumber == number && t.Status == TouchpointStatus.Pending)
            .Select(t => (object)new TouchpointCancelled(engagement.Id, engagement.ProgramId, t.Id, now));
        return Completed(engagement, [completed, .. reminders], now);
    }

    public static IReadOnlyList<object> Submit(Engagement engagement, Guid touchpointId, string? response, string? link, Guid? participant, DateTimeOffset now)
    {
        var touchpoint = engagement.Touchpoint(touchpointId) ?? throw Rejected.NotFound($"The engagement has no touchpoint {touchpointId}.");
        RequireActive(engagement, allowCompleted: touchpoint.Status == TouchpointStatus.Submitted);
        if (touchpoint.IsReminder)
        {
            throw Rejected.Conflict("A session reminder takes no submission.");
        }
        if (participant is { } who && who != touchpoint.RecipientId)
        {
            throw Rejected.Forbidden("This touchpoint belongs to another participant.");
        }
        return touchpoint.Status switch
        {
            TouchpointStatus.Submitted => [],
            TouchpointStatus.Cancelled => throw Rejected.Conflict("This touchpoint was cancelled: its participant left the engagement."),
            _ => Completed(engagement, [new TouchpointSubmitted(engagement.Id, engagement.ProgramId, touchpointId, touchpoint.Kind, response, now, link,
                touchpoint.RecipientId, engagement.ProgramName, engagement.Person(touchpoint.RecipientId), [.. engagement.Mentors])], now),
        };
    }

    /// <summary>The mentor's feedback on a mentee's submitted report; giving the same feedback again changes nothing.</summary>
    public static IReadOnlyList<object> GiveFeedback(Engagement engagement, Guid touchpointId, string text, Guid? participant, DateTimeOffset now)
    {
        var touchpoint = engagement.Touchpoint(touchpointId) ?? throw Rejected.NotFound($"The engagement has no touchpoint {touchpointId}.");
        if (engagement.Mentors.Any(m => m.EnrolmentId == touchpoint.RecipientId) || touchpoint.IsReminder)
        {
            throw Rejected.Conflict("Feedback is given on a mentee's reflection or report.");
        }
        var mentors = engagement.MentorsOf(touchpoint.RecipientId).ToList();
        if (participant is { } who && mentors.All(m => m.EnrolmentId != who))
        {
            throw Rejected.Forbidden("Only the mentee's mentor gives feedback on their report.");
        }
        if (touchpoint.Status != TouchpointStatus.Submitted)
        {
            throw Rejected.Conflict("The mentee has not submitted this touchpoint yet.");
        }
        var mentor = participant ?? mentors.Select(m => m.EnrolmentId).FirstOrDefault();
        return touchpoint.Feedback == text ? [] : [new FeedbackGiven(engagement.Id, engagement.ProgramId, touchpointId, mentor, text, now)];
    }

    /// <summary>A participant leaves the engagement: the mentor or the last mentee ends it, a group mentee leaves the others engaged.</summary>
    public static IReadOnlyList<object> Withdraw(Engagement engagement, Guid enrolmentId, string? reason, DateTimeOffset now)
    {
        if (engagement.Status == EngagementStatus.Cancelled)
        {
            return [];
        }
        RequireActive(engagement);
        if (engagement.Person(enrolmentId) is null)
        {
            throw Rejected.NotFound("That enrolment takes no part in this engagement (or has left it).");
        }
        if (engagement.IsSpeedEvent)
        {
            return LeaveEvent(engagement, enrolmentId, engagement.Meetings!.Where(m => m.Includes(enrolmentId)), reason ?? "withdrew", now);
        }
        var ends = engagement.Mentors.Any(m => m.EnrolmentId == enrolmentId) || engagement.Mentees.Count == 1;
        return ends
            ? [new EngagementCancelled(engagement.Id, engagement.ProgramId, reason is null ? "a participant withdrew" : $"a participant withdrew: {reason}", now, engagement.MatchId)]
            : Completed(engagement, [new ParticipantLeft(engagement.Id, engagement.ProgramId, enrolmentId, now)], now);
    }

    /// <summary>A coordinator closes the engagement before its plan is done (the pair met enough, or the year ended).</summary>
    public static IReadOnlyList<object> CompleteEarly(Engagement engagement, string? reason, DateTimeOffset now)
    {
        if (engagement.Status == EngagementStatus.Completed)
        {
            return [];
        }
        RequireActive(engagement);
        var (attended, hours) = Met(engagement);
        return [new EngagementCompleted(engagement.Id, engagement.ProgramId, now, engagement.MatchId, attended, hours, Early: true, reason)];
    }

    /// <summary>
    /// A decline or withdrawal ends the engagement, or (one mentee of a group) removes that mentee from it. At a
    /// speed-mentoring event it ends only that pairing (<paramref name="matchId"/>); see <see cref="LeaveEvent"/>.
    /// </summary>
    public static IReadOnlyList<object> Decline(Engagement engagement, Guid matchId, Guid enrolmentId, bool matchEnded, string? reason, DateTimeOffset now)
    {
        if (engagement.Status != EngagementStatus.Active)
        {
            return [];
        }
        if (engagement.IsSpeedEvent)
        {
            return LeaveEvent(engagement, enrolmentId, engagement.Meetings!.Where(m => m.MatchId == matchId && m.Includes(enrolmentId)), reason, now);
        }
        if (matchEnded)
        {
            return [new EngagementCancelled(engagement.Id, engagement.ProgramId, reason, now, engagement.MatchId)];
        }
        return engagement.Mentees.Any(m => m.EnrolmentId == enrolmentId)
            ? Completed(engagement, [new ParticipantLeft(engagement.Id, engagement.ProgramId, enrolmentId, now)], now)
            : [];
    }

    /// <summary>The program was cancelled: an engagement still going ends, with the coordinator's reason.</summary>
    public static IReadOnlyList<object> EndWithProgram(Engagement engagement, string reason, DateTimeOffset now) =>
        engagement.Status == EngagementStatus.Active
            ? [new EngagementCancelled(engagement.Id, engagement.ProgramId, $"program cancelled: {reason}", now, engagement.MatchId, PairingsOf(engagement))]
            : [];

    /// <summary>
    /// The sweeper claimed an alarm: act on it if the engagement still has it and its time has come (a submission,
    /// a date moved or an ending since it was claimed means it is gone, and nothing happens).
    /// </summary>
    public static IReadOnlyList<object> Fire(Engagement engagement, Guid alarmId, DateTimeOffset now)
    {
        if (EngagementAlarms.Of(engagement, now).FirstOrDefault(a => a.Id == alarmId && a.At <= now) is not { } alarm)
        {
            return [];
        }
        if (alarm.Kind == AlarmKinds.Stall)
        {
            return [new EngagementStalled(engagement.Id, engagement.ProgramId, engagement.LastActivityAt, now, engagement.ProgramName, [.. engagement.Participants])];
        }
        var touchpoint = engagement.Touchpoint(alarm.TouchpointId!.Value)!;
        var recipient = engagement.Person(touchpoint.RecipientId)!;
        return alarm.Kind switch
        {
            AlarmKinds.Miss => Completed(engagement, [new TouchpointMissed(engagement.Id, engagement.ProgramId, touchpoint.Id, touchpoint.Kind, recipient.EnrolmentId, now)], now),
            _ => [new TouchpointBecameDue(engagement.Id, engagement.ProgramId, touchpoint.Id, touchpoint.Kind, touchpoint.SessionNumber,
                touchpoint.DueAt!.Value, engagement.ProgramName, [recipient], Nudge: alarm.Kind == AlarmKinds.Nudge, touchpoint.Prompt)],
        };
    }

    /// <summary>
    /// Someone leaves pairings of a speed-mentoring event. Whoever is left without a pairing leaves the event (their
    /// reminders and reflections stop); the event ends when no pairing is left, and may complete when the rest is done.
    /// </summary>
    static IReadOnlyList<object> LeaveEvent(Engagement engagement, Guid enrolmentId, IEnumerable<Meeting> meetings, string? reason, DateTimeOffset now)
    {
        var events = meetings.Select(m => (object)new MeetingLeft(engagement.Id, engagement.ProgramId, m.MatchId, enrolmentId, reason, now, m.EndsWithout(enrolmentId))).ToList();
        if (events.Count == 0)
        {
            return [];
        }
        var after = engagement.After(events);
        events.AddRange(after.Participants.Where(p => !after.Meetings!.Any(m => m.Includes(p.EnrolmentId)))
            .Select(p => new ParticipantLeft(engagement.Id, engagement.ProgramId, p.EnrolmentId, now)));
        return after.Meetings!.IsEmpty
            ? [.. events, new EngagementCancelled(engagement.Id, engagement.ProgramId, "every pairing of the event was declined or withdrawn from", now, engagement.MatchId,
                PairingsOf(engagement))]
            : Completed(engagement, events, now);
    }

    /// <summary>A speed-mentoring event's pairings still meeting (their invites are cancelled with it); null for any other engagement.</summary>
    static IReadOnlyList<Guid>? PairingsOf(Engagement engagement) => engagement.Meetings?.Select(m => m.MatchId).ToList();

    const string EventDatesByCoordinator =
        "A speed-mentoring event's rounds follow one another from its start, which its coordinator sets on session 1; participants do not propose dates.";

    /// <summary>
    /// A coordinator sets or moves a speed-mentoring event by its first round: every round follows, and each pairing
    /// hears its own round's time (one SessionDateSet per pairing, so every calendar invite keeps its pairing's UID).
    /// </summary>
    static IReadOnlyList<object> SetEventDate(Engagement engagement, EngagementSession first, DateTimeOffset startsAt, string modality, string? reason, Guid? participant, DateTimeOffset now)
    {
        if (participant is not null || first.Number != 1)
        {
            throw Rejected.Conflict(EventDatesByCoordinator);
        }
        if (first.StartsAt == startsAt && first.Modality == modality)
        {
            return [];
        }
        if (first.StartsAt is not null && string.IsNullOrWhiteSpace(reason))
        {
            throw Rejected.Invalid("reason", "Moving an event that already has a date needs a 'reason' (it goes to the participants).");
        }
        var events = new List<object>();
        foreach (var round in engagement.Sessions.Where(s => !s.Done))
        {
            var at = SpeedRounds.StartOf(startsAt, round.Number, engagement.Rules.SessionMinutes)!.Value;
            var sequence = round.StartsAt is null ? round.Sequence : round.Sequence + 1;
            // A round nobody meets in any more still moves (told to nobody).
            var told = engagement.Meetings!.Where(m => m.Round == round.Number).Select(m => (m.MatchId, m.People))
                .DefaultIfEmpty((engagement.MatchId, People: (IReadOnlyList<Participant>)[]));
            events.AddRange(told.Select(pairing => new SessionDateSet(engagement.Id, engagement.ProgramId, round.Number, at, modality, round.StartsAt,
                sequence, reason, now, engagement.ProgramName, pairing.People, pairing.MatchId, engagement.Rules.SessionMinutes)));
        }
        return events;
    }

    /// <summary>The events, and the engagement's completion when they leave nothing more to do.</summary>
    static IReadOnlyList<object> Completed(Engagement engagement, IReadOnlyList<object> events, DateTimeOffset now)
    {
        var after = engagement.After(events);
        var finished = after.Status == EngagementStatus.Active
            && after.Sessions.All(s => s.Done)
            && after.Touchpoints.Where(t => t.Kind == TouchpointKinds.PostReflection)
                .All(t => t.Status is TouchpointStatus.Submitted or TouchpointStatus.Missed or TouchpointStatus.Cancelled);
        if (!finished)
        {
            return events;
        }
        var (attended, hours) = Met(after);
        return [.. events, new EngagementCompleted(engagement.Id, engagement.ProgramId, now, engagement.MatchId, attended, hours)];
    }

    static (int Attended, double Hours) Met(Engagement engagement)
    {
        var attended = engagement.Sessions.Count(s => s.Status == SessionStatus.Completed);
        return (attended, attended * engagement.Rules.SessionMinutes / 60.0);
    }

    static SessionDateSet Set(Engagement engagement, EngagementSession session, DateTimeOffset startsAt, string modality, string? reason, DateTimeOffset now) =>
        new(engagement.Id, engagement.ProgramId, session.Number, startsAt, modality, session.StartsAt,
            session.StartsAt is null ? session.Sequence : session.Sequence + 1, reason, now, engagement.ProgramName, [.. engagement.Participants],
            engagement.MatchId, engagement.Rules.SessionMinutes);

    static EngagementSession OpenSession(Engagement engagement, int number)
    {
        var session = engagement.Session(number) ?? throw Rejected.NotFound($"The engagement has no session {number}.");
        RequireActive(engagement);
        return session.Done ? throw Rejected.Conflict($"Session {number} is already done; its date no longer changes.") : session;
    }

    static void RequireActive(Engagement engagement, bool allowCompleted = false)
    {
        if (engagement.Status == EngagementStatus.Cancelled)
        {
            throw Rejected.Conflict("The engagement was cancelled: its match ended (declined, a participant withdrew, or the program was cancelled).");
        }
        if (engagement.Status == EngagementStatus.Completed && !allowCompleted)
        {
            throw Rejected.Conflict("The engagement is already completed.");
        }
    }
}

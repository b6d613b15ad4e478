using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Torace.Contracts;

namespace Torace.Scheduling.Engagements;

/// <summary>A date one participant proposed for a session, waiting for the other side to confirm it.</summary>
public sealed record DateProposal(DateTimeOffset StartsAt, string Modality, Guid ProposedBy, string? Reason, DateTimeOffset ProposedAt);

public sealed record EngagementSession(
    int Number,
    string Modality,
    DateTimeOffset? StartsAt,
    string Status,
    int Sequence = 0,
    DateProposal? Proposal = null,
    string? Notes = null,
    DateTimeOffset? CompletedAt = null,
    DateTimeOffset? KnownAt = null)
{
    /// <summary>Whether the session is over (attended or a no-show).</summary>
    public bool Done => Status is SessionStatus.Completed or SessionStatus.NoShow;
}

/// <summary>
/// One thing one person is asked for or told. <see cref="DueAt"/> is null until the date it depends on is known;
/// <see cref="Occurrence"/> counts how often a reminder was planned again after its session moved.
/// </summary>
public sealed record Touchpoint(
    Guid Id,
    string Kind,
    int? SessionNumber,
    Guid RecipientId,
    DateTimeOffset? DueAt,
    string Status,
    int? AfterDays = null,
    string? Prompt = null,
    int Occurrence = 0,
    string? Response = null,
    string? Link = null,
    DateTimeOffset? SubmittedAt = null,
    string? Feedback = null)
{
    public bool IsReminder => Kind == TouchpointKinds.SessionReminder;

    /// <summary>Asked for and not yet answered: due, or late (nudged).</summary>
    public bool Open => Status is TouchpointStatus.Due or TouchpointStatus.Late;
}

/// <summary>One pairing of a speed-mentoring event: a mentor and their mentee(s) in one round (its own match).</summary>
public sealed record Meeting(int Round, Guid MatchId, Participant Mentor, IReadOnlyList<Participant> Mentees)
{
    /// <summary>The mentor and the mentees.</summary>
    public IReadOnlyList<Participant> People => [.. Mentees.Prepend(Mentor)];

    public bool Includes(Guid enrolmentId) => People.Any(p => p.EnrolmentId == enrolmentId);

    /// <summary>Whether the pairing ends when this person leaves it: its mentor, or its last mentee.</summary>
    public bool EndsWithout(Guid enrolmentId) => Mentor.EnrolmentId == enrolmentId || Mentees.All(m => m.EnrolmentId == enrolmentId);
}

/// <summary>
/// The life of a published match, or of a whole speed-mentoring event (<see cref="Meetings"/>: one session per round,
/// every round's pairings, each participant asked for their reflections once). Evolve is pure: state + event → state.
/// After every event the touchpoints' due times are planned again from the sessions (<see cref="EngagementPlan.DueAt"/>),
/// so a date that moves moves every reminder that depends on it.
/// </summary>
public sealed record Engagement(
    Guid Id,
    Guid ProgramId,
    Guid MatchId,
    string ProgramName,
    IReadOnlyList<Participant> Mentors,
    IReadOnlyList<Participant> Mentees,
    string Status,
    ImmutableList<EngagementSession> Sessions,
    ImmutableList<Touchpoint> Touchpoints,
    EngagementRules Rules,
    DateTimeOffset LastActivityAt,
    DateTimeOffset? StalledAt = null,
    ImmutableList<Meeting>? Meetings = null)
{
    public IEnumerable<Participant> Participants => Mentors.Concat(Mentees);

    /// <summary>
    /// Snapshots stored before an engagement could have several mentors name its one mentor <c>mentor</c>: read into
    /// <see cref="Mentors"/>, never written.
    /// </summary>
    [JsonPropertyName("mentor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Participant? StoredMentor
    {
        get => null;
        init
        {
            if (value is not null && Mentors is not { Count: > 0 })
            {
                Mentors = [value];
            }
        }
    }

    /// <summary>A speed-mentoring event: its sessions are the rounds, its matches the <see cref="Meetings"/>.</summary>
    public bool IsSpeedEvent => Meetings is not null;

    /// <summary>The people a session brings together: a round's pairings at an event, everyone otherwise.</summary>
    public IReadOnlyList<Participant> PeopleOf(int sessionNumber) => Meetings is { } meetings
        ? [.. meetings.Where(m => m.Round == sessionNumber).SelectMany(m => m.People).DistinctBy(p => p.EnrolmentId)]
        : [.. Participants];

    /// <summary>The mentors who meet this mentee (at an event, the mentor of each of their rounds).</summary>
    public IEnumerable<Participant> MentorsOf(Guid menteeId) => Meetings is { } meetings
        ? meetings.Where(m => m.Mentees.Any(x => x.EnrolmentId == menteeId)).Select(m => m.Mentor)
        : Mentors;

    /// <summary>What a coordinator should look at (GET …/attention); stored with the document so it can be queried.</summary>
    public IReadOnlyList<string> Attention => [.. AttentionReasons()];

    public bool NeedsAttention => Attention.Count > 0;

    public static Engagement Create(EngagementScheduled e) => new Engagement(
        e.EngagementId, e.ProgramId, e.MatchId, e.ProgramName, [e.Mentor], e.Mentees, EngagementStatus.Active,
        [.. e.Sessions.Select(s => new EngagementSession(s.Number, s.Modality, s.StartsAt, s.StartsAt is null ? SessionStatus.Unscheduled : SessionStatus.Scheduled,
            KnownAt: s.StartsAt is null ? null : e.ScheduledAt))],
        [.. e.Touchpoints.Select(Pending)],
        e.Rules ?? EngagementRules.Default,
        e.ScheduledAt,
        Meetings: e.Rounds > 1 ? [new Meeting(e.Round, e.MatchId, e.Mentor, e.Mentees)] : null).Planned();

    /// <summary>Another pairing of the event: its people join (asked for their reflections once, however many rounds they meet in).</summary>
    public Engagement Apply(MeetingAdded e) => (this with
    {
        Meetings = (Meetings ?? []).Add(new Meeting(e.Round, e.MatchId, e.Mentor, e.Mentees)),
        Mentors = Mentors.Any(m => m.EnrolmentId == e.Mentor.EnrolmentId) ? Mentors : [.. Mentors, e.Mentor],
        Mentees = [.. Mentees, .. e.Mentees.Where(m => Mentees.All(x => x.EnrolmentId != m.EnrolmentId))],
        Touchpoints = Touchpoints.AddRange(e.Touchpoints.Select(Pending)),
    }).Planned();

    /// <summary>Someone left one pairing of the event (a decline, a withdrawal): the pairing ends with its mentor or last mentee.</summary>
    public Engagement Apply(MeetingLeft e) => Meetings?.Find(m => m.MatchId == e.MatchId) is not { } meeting ? this : this with
    {
        Meetings = e.PairingEnds
            ? Meetings.Remove(meeting)
            : Meetings.Replace(meeting, meeting with { Mentees = [.. meeting.Mentees.Where(m => m.EnrolmentId != e.EnrolmentId)] }),
    };

    public Engagement Apply(SessionDateSet e) => WithSession(e.SessionNumber, s => s with
    {
        StartsAt = e.StartsAt,
        Modality = e.Modality,
        Sequence = e.Sequence,
        Proposal = null,
        Status = s.Done ? s.Status : SessionStatus.Scheduled,
        KnownAt = e.SetAt,
    }).Active(e.SetAt).Planned();

    public Engagement Apply(SessionDateProposed e) => WithSession(e.SessionNumber, s => s with
    {
        Proposal = new DateProposal(e.StartsAt, e.Modality, e.ProposedBy, e.Reason, e.ProposedAt),
    }).Active(e.ProposedAt);

    public Engagement Apply(TouchpointBecameDue e) =>
        WithTouchpoint(e.TouchpointId, t => t with { Status = t.IsReminder ? TouchpointStatus.Sent : e.Nudge ? TouchpointStatus.Late : TouchpointStatus.Due });

    public Engagement Apply(TouchpointMissed e) => WithTouchpoint(e.TouchpointId, t => t with { Status = TouchpointStatus.Missed });

    public Engagement Apply(TouchpointCancelled e) => WithTouchpoint(e.TouchpointId, t => t with { Status = TouchpointStatus.Cancelled });

    public Engagement Apply(TouchpointSubmitted e) =>
        WithTouchpoint(e.TouchpointId, t => t with { Status = TouchpointStatus.Submitted, Response = e.Response, Link = e.Link, SubmittedAt = e.SubmittedAt })
            .Active(e.SubmittedAt);

    public Engagement Apply(FeedbackGiven e) => WithTouchpoint(e.TouchpointId, t => t with { Feedback = e.Text }).Active(e.GivenAt);

    public Engagement Apply(SessionCompleted e) => WithSession(e.SessionNumber, s => s with
    {
        Status = e.Attended ? SessionStatus.Completed : SessionStatus.NoShow,
        Notes = e.Notes,
        CompletedAt = e.CompletedAt,
        Proposal = null,
        KnownAt = s.KnownAt ?? e.CompletedAt,
    }).Active(e.CompletedAt).Planned();

    public Engagement Apply(EngagementStalled e) => this with { StalledAt = e.StalledAt };

    /// <summary>Completed: what was still asked for is missed, what was not yet due is cancelled.</summary>
    public Engagement Apply(EngagementCompleted _) => this with
    {
        Status = EngagementStatus.Completed,
        Touchpoints = [.. Touchpoints.Select(t => t.Open ? t with { Status = TouchpointStatus.Missed }
            : t.Status == TouchpointStatus.Pending ? t with { Status = TouchpointStatus.Cancelled } : t)],
    };

    /// <summary>Cancelled: nothing more is asked for.</summary>
    public Engagement Apply(EngagementCancelled _) => this with
    {
        Status = EngagementStatus.Cancelled,
        Touchpoints = [.. Touchpoints.Select(t => t.Open || t.Status == TouchpointStatus.Pending ? t with { Status = TouchpointStatus.Cancelled } : t)],
    };

    public Engagement Apply(ParticipantLeft e) => this with
    {
        Mentors = [.. Mentors.Where(m => m.EnrolmentId != e.EnrolmentId)],
        Mentees = [.. Mentees.Where(m => m.EnrolmentId != e.EnrolmentId)],
        Touchpoints = [.. Touchpoints.Select(t => t.RecipientId == e.EnrolmentId && t.Status is not TouchpointStatus.Submitted ? t with { Status = TouchpointStatus.Cancelled } : t)],
    };

    /// <summary>The state after any of the engagement's events (not named Evolve: Marten would take that for its own aggregation hook).</summary>
    public Engagement After(object e) => e switch
    {
        SessionDateSet x => Apply(x),
        SessionDateProposed x => Apply(x),
        TouchpointBecameDue x => Apply(x),
        TouchpointMissed x => Apply(x),
        TouchpointCancelled x => Apply(x),
        TouchpointSubmitted x => Apply(x),
        FeedbackGiven x => Apply(x),
        SessionCompleted x => Apply(x),
        EngagementStalled x => Apply(x),
        EngagementCompleted x => Apply(x),
        EngagementCancelled x => Apply(x),
        ParticipantLeft x => Apply(x),
        MeetingAdded x => Apply(x),
        MeetingLeft x => Apply(x),
        _ => throw new ArgumentException($"An engagement does not evolve by {e.GetType().Name}.", nameof(e)),
    };

    public Engagement After(IEnumerable<object> events) => events.Aggregate(this, (state, e) => state.After(e));

    public EngagementSession? Session(int number) => Sessions.Find(s => s.Number == number);

    public Touchpoint? Touchpoint(Guid id) => Touchpoints.Find(t => t.Id == id);

    public Participant? Person(Guid enrolmentId) => Participants.FirstOrDefault(p => p.EnrolmentId == enrolmentId);

    static Touchpoint Pending(PlannedTouchpoint t) => new(t.Id, t.Kind, t.SessionNumber, t.RecipientId, null, TouchpointStatus.Pending, t.AfterDays, t.Prompt);

    /// <summary>The touchpoints' due times planned again from the sessions; a reminder already sent for a date that moved is planned anew.</summary>
    Engagement Planned() => this with
    {
        Touchpoints = [.. Touchpoints.Select(t =>
        {
            var due = EngagementPlan.DueAt(this, t);
            return t.Status switch
            {
                TouchpointStatus.Pending => t with { DueAt = due },
                TouchpointStatus.Sent when due is not null && due != t.DueAt && Session(t.SessionNumber ?? 0) is { Done: false } =>
                    t with { DueAt = due, Status = TouchpointStatus.Pending, Occurrence = t.Occurrence + 1 },
                _ => t,
            };
        })],
    };

    Engagement Active(DateTimeOffset at) => this with { LastActivityAt = at > LastActivityAt ? at : LastActivityAt };

    Engagement WithSession(int number, Func<EngagementSession, EngagementSession> change) =>
        Session(number) is { } session ? this with { Sessions = Sessions.Replace(session, change(session)) } : this;

    Engagement WithTouchpoint(Guid id, Func<Touchpoint, Touchpoint> change) =>
        Touchpoint(id) is { } touchpoint ? this with { Touchpoints = Touchpoints.Replace(touchpoint, change(touchpoint)) } : this;

    IEnumerable<string> AttentionReasons()
    {
        if (Status != EngagementStatus.Active)
        {
            yield break;
        }
        if (StalledAt is not null)
        {
            yield return AttentionReason.Stalled;
        }
        if (Touchpoints.Any(t => t.Status is TouchpointStatus.Late or TouchpointStatus.Missed))
        {
            yield return AttentionReason.Overdue;
        }
        if (Sessions.Any(s => s.Proposal is not null))
        {
            yield return AttentionReason.UnconfirmedDate;
        }
        if (Sessions.Any(s => s.Status == SessionStatus.NoShow))
        {
            yield return AttentionReason.NoShow;
        }
    }
}

public static class EngagementStatus
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Active, Completed, Cancelled];
}

public static class SessionStatus
{
    public const string Unscheduled = "unscheduled";
    public const string Scheduled = "scheduled";
    public const string Completed = "completed";
    public const string NoShow = "no-show";

    public static readonly string[] All = [Unscheduled, Scheduled, Completed, NoShow];
}

/// <summary>
/// A reflection or report is pending, due, late (nudged), submitted or missed; a session reminder is pending, sent,
/// or cancelled (its session done or its recipient gone).
/// </summary>
public static class TouchpointStatus
{
    public const string Pending = "pending";
    public const string Due = "due";
    public const string Late = "late";
    public const string Submitted = "submitted";
    public const string Missed = "missed";
    public const string Sent = "sent";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Pending, Due, Late, Submitted, Missed, Sent, Cancelled];
}

public static class TouchpointKinds
{
    public const string PreReflection = "pre-reflection";
    public const string PostReflection = "post-reflection";
    public const string SessionReminder = "session-reminder";
}

public static class AttentionReason
{
    public const string Stalled = "stalled";
    public const string Overdue = "overdue";
    public const string UnconfirmedDate = "unconfirmed-date";
    public const string NoShow = "no-show";

    public static readonly string[] All = [Stalled, Overdue, UnconfirmedDate, NoShow];
}

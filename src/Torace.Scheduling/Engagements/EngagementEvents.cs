using Torace.Contracts;

namespace Torace.Scheduling.Engagements;

/// <summary>
/// One thing one person is asked for (a reflection, a between-session report) or told (a session reminder). A group's
/// mentees each have their own; <see cref="AfterDays"/> is the between-session touchpoint's delay after its session.
/// </summary>
public sealed record PlannedTouchpoint(Guid Id, string Kind, int? SessionNumber, Guid RecipientId, int? AfterDays = null, string? Prompt = null);

/// <summary>
/// A published match became an engagement. For a speed-mentoring event (<see cref="Rounds"/> > 1) the first of its
/// pairings to arrive (<see cref="Round"/>) starts the event's engagement, with one session per round; the others join
/// it (<see cref="MeetingAdded"/>).
/// </summary>
public sealed record EngagementScheduled(
    Guid EngagementId,
    Guid MatchId,
    Guid ProgramId,
    string ProgramName,
    Participant Mentor,
    IReadOnlyList<Participant> Mentees,
    IReadOnlyList<SessionPlan> Sessions,
    IReadOnlyList<PlannedTouchpoint> Touchpoints,
    DateTimeOffset ScheduledAt,
    EngagementRules? Rules = null,
    int Round = 1,
    int Rounds = 1);

/// <summary>Another pairing of a speed-mentoring event, with the touchpoints of the people it brings in for the first time.</summary>
public sealed record MeetingAdded(
    Guid EngagementId,
    Guid ProgramId,
    int Round,
    Guid MatchId,
    Participant Mentor,
    IReadOnlyList<Participant> Mentees,
    IReadOnlyList<PlannedTouchpoint> Touchpoints,
    DateTimeOffset AddedAt,
    SessionPlan Session);

/// <summary>
/// One person left one pairing of a speed-mentoring event (declined it, or withdrew from the event); the pairing ends
/// with its mentor or its last mentee (<see cref="PairingEnds"/>).
/// </summary>
public sealed record MeetingLeft(Guid EngagementId, Guid ProgramId, Guid MatchId, Guid EnrolmentId, string? Reason, DateTimeOffset LeftAt, bool PairingEnds);

/// <summary>A session's date and modality: set by the program or a coordinator, confirmed, or moved (Sequence raised).</summary>
public sealed record SessionDateSet(
    Guid EngagementId,
    Guid ProgramId,
    int SessionNumber,
    DateTimeOffset StartsAt,
    string Modality,
    DateTimeOffset? PreviousStartsAt,
    int Sequence,
    string? Reason,
    DateTimeOffset SetAt,
    string ProgramName,
    IReadOnlyList<Participant> Participants,
    Guid MatchId = default,
    int Minutes = 45);

/// <summary>
/// A participant proposed a date; the other side confirms it, or counters with a proposal of their own. The program's
/// name and the participants (to tell the others) are null on proposals stored before they were kept.
/// </summary>
public sealed record SessionDateProposed(
    Guid EngagementId,
    Guid ProgramId,
    int SessionNumber,
    DateTimeOffset StartsAt,
    string Modality,
    Guid ProposedBy,
    string? Reason,
    DateTimeOffset ProposedAt,
    string? ProgramName = null,
    IReadOnlyList<Participant>? Participants = null);

/// <summary>The due time of the touchpoint came: its recipient is asked (or, with Nudge, asked again because it is overdue).</summary>
public sealed record TouchpointBecameDue(
    Guid EngagementId,
    Guid ProgramId,
    Guid TouchpointId,
    string Kind,
    int? SessionNumber,
    DateTimeOffset DueAt,
    string ProgramName,
    IReadOnlyList<Participant> Recipients,
    bool Nudge = false,
    string? Prompt = null);

public sealed record TouchpointMissed(Guid EngagementId, Guid ProgramId, Guid TouchpointId, string Kind, Guid RecipientId, DateTimeOffset MissedAt);

/// <summary>A reminder for something already done (or a session that ended) is not sent.</summary>
public sealed record TouchpointCancelled(Guid EngagementId, Guid ProgramId, Guid TouchpointId, DateTimeOffset CancelledAt);

/// <summary>
/// A reflection or report was submitted. The program's name, the submitter and the mentors (to ask them for feedback)
/// are null on submissions stored before they were kept.
/// </summary>
public sealed record TouchpointSubmitted(
    Guid EngagementId,
    Guid ProgramId,
    Guid TouchpointId,
    string Kind,
    string? Response,
    DateTimeOffset SubmittedAt,
    string? Link = null,
    Guid? SubmittedBy = null,
    string? ProgramName = null,
    Participant? Submitter = null,
    IReadOnlyList<Participant>? Mentors = null);

/// <summary>The mentor's feedback on a mentee's report.</summary>
public sealed record FeedbackGiven(Guid EngagementId, Guid ProgramId, Guid TouchpointId, Guid MentorId, string Text, DateTimeOffset GivenAt);

public sealed record SessionCompleted(
    Guid EngagementId,
    Guid ProgramId,
    int SessionNumber,
    string ProgramName,
    IReadOnlyList<Participant> Participants,
    DateTimeOffset CompletedAt,
    bool Attended = true,
    string? Notes = null);

/// <summary>
/// No activity for the program's stall setting: the coordinator is told (attention list, EngagementStalled).
/// <see cref="ProgramName"/> and <see cref="Participants"/> name who it is about (absent from events stored before they did).
/// </summary>
public sealed record EngagementStalled(
    Guid EngagementId, Guid ProgramId, DateTimeOffset LastActivityAt, DateTimeOffset StalledAt, string? ProgramName = null, IReadOnlyList<Participant>? Participants = null);

/// <summary>The match ended (declined, or its mentor or last mentee withdrew): no more sessions, no more reminders.</summary>
public sealed record EngagementCancelled(Guid EngagementId, Guid ProgramId, string? Reason, DateTimeOffset CancelledAt, Guid MatchId = default,
    IReadOnlyList<Guid>? Pairings = null);

/// <summary>One mentee of a group declined or withdrew; the others carry on without them.</summary>
public sealed record ParticipantLeft(Guid EngagementId, Guid ProgramId, Guid EnrolmentId, DateTimeOffset LeftAt);

public sealed record EngagementCompleted(
    Guid EngagementId,
    Guid ProgramId,
    DateTimeOffset CompletedAt,
    Guid MatchId = default,
    int SessionsAttended = 0,
    double HoursMet = 0,
    bool Early = false,
    string? Reason = null);

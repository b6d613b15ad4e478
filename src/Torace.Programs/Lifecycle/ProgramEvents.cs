using Torace.Contracts;

namespace Torace.Programs.Lifecycle;

/// <summary>
/// What a coordinator defines; validated once, when the program is created. <see cref="SessionMinutes"/> came later:
/// a definition stored before it reads as the default (a PD plan's hours are sessions × this length).
/// </summary>
public sealed record ProgramDefinition(
    string Name,
    string Kind,
    string Topic,
    IReadOnlyList<SessionPlan> Sessions,
    int GroupSize,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointPlan> Touchpoints,
    PoolPlan Pool,
    MatchingPlan Matching,
    MatchMessage Message,
    int SessionMinutes = ProgramDefinition.DefaultSessionMinutes,
    EngagementRules? Reminders = null)
{
    public const int DefaultSessionMinutes = 45;

    /// <summary>How the program's engagements are chased (a definition stored before reminders existed reads as the defaults).</summary>
    public EngagementRules EngagementRules => (Reminders ?? EngagementRules.Default) with { SessionMinutes = SessionMinutes };

    /// <summary>The format coordinators know it by: one-, two- or three-session micro-mentoring, or regular mentoring beyond three.</summary>
    public string Format => ProgramFormats.Of(Sessions.Count);
}

public static class ProgramFormats
{
    public const string OneSession = "one-session";
    public const string TwoSession = "two-session";
    public const string ThreeSession = "three-session";
    public const string RegularMentoring = "regular-mentoring";
    public static readonly string[] All = [OneSession, TwoSession, ThreeSession, RegularMentoring];

    public static string Of(int sessions) => sessions switch
    {
        1 => OneSession,
        2 => TwoSession,
        3 => ThreeSession,
        _ => RegularMentoring,
    };
}

public sealed record ProgramCreated(Guid ProgramId, ProgramDefinition Definition, DateTimeOffset CreatedAt);

/// <summary>Enrolment opened; carries the definition because Matching and Scheduling need it.</summary>
public sealed record ProgramOpened(Guid ProgramId, ProgramDefinition Definition, DateTimeOffset OpenedAt);

/// <summary>
/// A coordinator started matching: the run covers exactly the enrolments active when it was asked for, so Matching can
/// wait until it holds each of them instead of missing the ones still on their way.
/// </summary>
/// <remarks><see cref="ProfilesAt"/> names the covered enrolments whose profile changed, with the time of the latest change, so Matching
/// also waits for that change.</remarks>
public sealed record MatchingRequested(Guid ProgramId, Guid RunId, IReadOnlyList<Guid> EnrolmentIds, Guid? KeepPinnedFrom, DateTimeOffset RequestedAt,
    IReadOnlyDictionary<Guid, DateTimeOffset>? ProfilesAt = null);

/// <summary>A coordinator edited the draft's definition; the whole new definition.</summary>
public sealed record ProgramDefinitionChanged(Guid ProgramId, ProgramDefinition Definition, DateTimeOffset ChangedAt);

/// <summary>Nobody else may enrol; matching, engagements and the people already in go on.</summary>
public sealed record EnrolmentClosed(Guid ProgramId, DateTimeOffset ClosedAt);

/// <summary>The program's first match was published: it is running.</summary>
public sealed record ProgramStarted(Guid ProgramId, Guid FirstMatchId, DateTimeOffset StartedAt);

/// <summary>Every engagement of the program has completed or ended.</summary>
public sealed record ProgramCompleted(Guid ProgramId, int Engagements, DateTimeOffset CompletedAt);

/// <summary>A coordinator cancelled the program: its engagements end and its participants are told.</summary>
public sealed record ProgramCancelled(Guid ProgramId, string ProgramName, string Reason, DateTimeOffset CancelledAt);

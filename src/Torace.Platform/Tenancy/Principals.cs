namespace Torace.Platform.Tenancy;

/// <summary>The kinds of caller a service token can name (DESIGN §12, "Principals").</summary>
public static class Actors
{
    /// <summary>A district's system calling with an API key.</summary>
    public const string Integrator = "integrator";

    /// <summary>A person of the district signed in to the admin front end (user id and role).</summary>
    public const string Coordinator = "coordinator";

    /// <summary>A mentor or mentee following a signed link: one enrolment, one action, until the link expires.</summary>
    public const string Participant = "participant";

    /// <summary>Torace itself (tests, maintenance): every scope.</summary>
    public const string System = "system";
}

/// <summary>What an integrator's or coordinator's token allows: reads, changes, managing the district's keys.</summary>
public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly string[] All = [Read, Write, Admin];
}

/// <summary>The one thing a participant link lets its holder do (DESIGN §13).</summary>
public static class ParticipantActions
{
    public const string DeclineMatch = "decline-match";
    public const string SubmitTouchpoint = "submit-touchpoint";
    public const string CompleteSession = "complete-session";

    /// <summary>Propose or confirm a session's date.</summary>
    public const string ScheduleSession = "schedule-session";

    /// <summary>The mentor's feedback on a mentee's report.</summary>
    public const string GiveFeedback = "give-feedback";

    public const string WithdrawFromEngagement = "withdraw-from-engagement";

    /// <summary>Stop (or resume) the enrolment's reminders.</summary>
    public const string StopReminders = "stop-reminders";

    public static readonly string[] All = [DeclineMatch, SubmitTouchpoint, CompleteSession, ScheduleSession, GiveFeedback, WithdrawFromEngagement, StopReminders];
}

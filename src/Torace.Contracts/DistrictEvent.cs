namespace Torace.Contracts;

/// <summary>Every integration event belongs to one district (tenant) and one program.</summary>
public interface IDistrictEvent
{
    string TenantId { get; }
    Guid ProgramId { get; }
}

/// <summary>A person as the consumers of an event need them: no look-ups back into the publisher.</summary>
public sealed record Participant(Guid EnrolmentId, string Name, string Email, string Site, string TimeZone);

public sealed record SessionPlan(int Number, string Modality, DateTimeOffset? StartsAt);

public sealed record TouchpointPlan(int AfterSession, string Kind, int DueAfterDays, string? Prompt = null);

public sealed record MatchMessage(string Text, string? GuideUrl);

/// <summary>
/// How a program chases its engagements (DESIGN §5): a nudge when a touchpoint is this many days overdue, missed when
/// it is this many days overdue, stalled after this many days without activity, no reminder in the recipient's quiet
/// hours (9 p.m. to 7 a.m. local), and how long a session lasts (the hours a completed engagement met).
/// </summary>
public sealed record EngagementRules(int NudgeAfterDays = 3, int MissedAfterDays = 7, int StallAfterDays = 10, bool QuietHours = true, int SessionMinutes = 45)
{
    public static readonly EngagementRules Default = new();
}

/// <summary>Who may be matched with whom. Roles are job roles; exclusions name people by external id.</summary>
public sealed record PoolPlan(
    string Sites,
    IReadOnlyList<string> MentorRoles,
    IReadOnlyList<string> MenteeRoles,
    IReadOnlyList<string> IncludedSites,
    IReadOnlyList<ExcludedPair> Exclusions,
    bool NoRepeatPairing,
    int? MaxConcurrentMentees);

/// <summary>The weekly slots a person can meet in: day and part of day, e.g. "tue-pm".</summary>
public static class WeeklySlots
{
    public static readonly IReadOnlyList<string> All = [.. new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }
        .SelectMany(day => new[] { "am", "pm", "eve" }.Select(part => $"{day}-{part}"))];
}

public sealed record ExcludedPair(string Mentor, string Mentee);

/// <summary>How a program is matched: review (manual/auto), mode (batch/continuous), speed-mentoring rounds, weights 0–10.</summary>
public sealed record MatchingPlan(string Review, string Mode, int Rounds, IReadOnlyDictionary<string, int> Weights);

using System.ComponentModel.DataAnnotations;
using Torace.Contracts;

namespace Torace.Programs.Lifecycle;

public sealed record SessionResponse(int Number, [property: AllowedValues("virtual", "in-person", "either")] string Modality, DateTimeOffset? StartsAt);

public sealed record TouchpointResponse(int AfterSession, [property: AllowedValues("plan-feedback", "action-steps", "work-product")] string Kind, int DueAfterDays, string? Prompt);

public sealed record ExcludedPairResponse(string Mentor, string Mentee);

public sealed record PoolResponse(
    [property: AllowedValues("same", "other", "any")] string Sites,
    IReadOnlyList<string> MentorRoles,
    IReadOnlyList<string> MenteeRoles,
    IReadOnlyList<string> IncludedSites,
    IReadOnlyList<ExcludedPairResponse> Exclusions,
    bool NoRepeatPairing,
    int? MaxConcurrentMentees);

public sealed record MatchingResponse(
    [property: AllowedValues("manual", "auto")] string Review,
    [property: AllowedValues("batch", "continuous")] string Mode,
    int Rounds,
    IReadOnlyDictionary<string, int> Weights);

public sealed record MessageResponse(string Text, string? GuideUrl);

/// <summary>How the program's engagements are chased (days overdue for a nudge and for missed, days idle for stalled, quiet hours).</summary>
public sealed record RemindersResponse(int NudgeAfterDays, int MissedAfterDays, int StallAfterDays, bool QuietHours);

/// <summary>A program as integrators and the admin see it: its definition, status and how many people are enrolled.</summary>
public sealed record ProgramResponse(
    Guid Id,
    [property: AllowedValues("draft", "open", "matching", "running", "completed", "cancelled")] string Status,
    string Name,
    [property: AllowedValues("topic-intervention", "pd-event", "one-off", "speed-mentoring", "informational-interview")] string Kind,
    string Topic,
    IReadOnlyList<SessionResponse> Sessions,
    int GroupSize,
    bool PreReflection,
    bool PostReflection,
    IReadOnlyList<TouchpointResponse> Touchpoints,
    PoolResponse Pool,
    MatchingResponse Matching,
    MessageResponse Message,
    int Mentors,
    int Mentees,
    DateTimeOffset CreatedAt,
    int SessionMinutes,
    [property: AllowedValues("one-session", "two-session", "three-session", "regular-mentoring")] string Format,
    bool EnrolmentOpen,
    string? CancellationReason,
    RemindersResponse Reminders)
{
    public static ProgramResponse From(ProgramState program, int mentors, int mentees)
    {
        var d = program.Definition;
        return new(program.Id, program.Status.ToString().ToLowerInvariant(), d.Name, d.Kind, d.Topic,
            [.. d.Sessions.Select(s => new SessionResponse(s.Number, s.Modality, s.StartsAt))],
            d.GroupSize, d.PreReflection, d.PostReflection,
            [.. d.Touchpoints.Select(t => new TouchpointResponse(t.AfterSession, t.Kind, t.DueAfterDays, t.Prompt))],
            PoolOf(d.Pool),
            new MatchingResponse(d.Matching.Review, d.Matching.Mode, d.Matching.Rounds, d.Matching.Weights),
            new MessageResponse(d.Message.Text, d.Message.GuideUrl),
            mentors, mentees, program.CreatedAt, d.SessionMinutes, d.Format, program.EnrolmentOpen, program.CancellationReason,
            new RemindersResponse(d.EngagementRules.NudgeAfterDays, d.EngagementRules.MissedAfterDays, d.EngagementRules.StallAfterDays, d.EngagementRules.QuietHours));
    }

    static PoolResponse PoolOf(PoolPlan pool) => new(pool.Sites, pool.MentorRoles, pool.MenteeRoles, pool.IncludedSites,
        [.. pool.Exclusions.Select(x => new ExcludedPairResponse(x.Mentor, x.Mentee))], pool.NoRepeatPairing, pool.MaxConcurrentMentees);
}

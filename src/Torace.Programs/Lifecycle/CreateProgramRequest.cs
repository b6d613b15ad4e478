using System.ComponentModel.DataAnnotations;
using Torace.Contracts;
using Torace.Platform.Api;
using Torace.Programs.Templates;

namespace Torace.Programs.Lifecycle;

public sealed record SessionRequest([property: AllowedValues("virtual", "in-person", "either")] string? Modality, DateTimeOffset? StartsAt);

public sealed record TouchpointRequest(
    int? AfterSession,
    [property: AllowedValues("plan-feedback", "action-steps", "work-product")] string? Kind,
    int? DueAfterDays,
    string? Prompt = null);

/// <summary>
/// How the program's engagements are chased: a nudge when a touchpoint is this many days overdue (default 3), missed
/// after this many (default 7), a coordinator told after this many days without activity (default 10), and no
/// reminders in the quiet hours, 9 p.m. to 7 a.m. in the participant's time zone (default on).
/// </summary>
public sealed record RemindersRequest(int? NudgeAfterDays = null, int? MissedAfterDays = null, int? StallAfterDays = null, bool? QuietHours = null);

public sealed record ExcludedPairRequest(string? Mentor, string? Mentee);

public sealed record PoolRequest(
    [property: AllowedValues("same", "other", "any")] string? Sites,
    IReadOnlyList<string>? MentorRoles = null,
    IReadOnlyList<string>? MenteeRoles = null,
    IReadOnlyList<string>? IncludedSites = null,
    IReadOnlyList<ExcludedPairRequest>? Exclusions = null,
    bool? NoRepeatPairing = null,
    int? MaxConcurrentMentees = null);

public sealed record MatchingRequest(
    [property: AllowedValues("manual", "auto")] string? Review,
    IReadOnlyDictionary<string, int>? Weights,
    [property: AllowedValues("batch", "continuous")] string? Mode = null,
    int? Rounds = null);

public sealed record MessageRequest(string? Text, string? GuideUrl);

public sealed record CreateProgramRequest(
    string? Name,
    [property: AllowedValues("topic-intervention", "pd-event", "one-off", "speed-mentoring", "informational-interview")] string? Kind,
    string? Topic,
    IReadOnlyList<SessionRequest>? Sessions,
    int? GroupSize,
    bool? PreReflection,
    bool? PostReflection,
    IReadOnlyList<TouchpointRequest>? Touchpoints,
    PoolRequest? Pool,
    MatchingRequest? Matching,
    MessageRequest? Message,
    int? SessionMinutes = null,
    string? Template = null,
    RemindersRequest? Reminders = null)
{
    public static readonly CreateProgramRequest Example = new(
        "SEL in practice", "topic-intervention", "sel",
        [new SessionRequest("virtual", new DateTimeOffset(2027, 1, 12, 15, 30, 0, TimeSpan.Zero)), new SessionRequest("in-person", new DateTimeOffset(2027, 1, 26, 15, 30, 0, TimeSpan.Zero))],
        1, true, true, [new TouchpointRequest(1, "action-steps", 3)],
        new PoolRequest("other", NoRepeatPairing: true),
        new MatchingRequest("manual", new Dictionary<string, int> { ["topic"] = 8, ["crossSite"] = 6, ["loadSpreading"] = 5 }),
        new MessageRequest("Welcome! Bring one SEL routine you want to strengthen.", "https://example.org/guides/two-session"));

    public static readonly string[] Kinds = ["topic-intervention", "pd-event", "one-off", "speed-mentoring", "informational-interview"];
    public static readonly string[] Modalities = ["virtual", "in-person", "either"];
    public static readonly string[] TouchpointKinds = ["plan-feedback", "action-steps", "work-product"];
    public static readonly string[] PoolSites = ["same", "other", "any"];
    public static readonly string[] ReviewModes = ["manual", "auto"];
    public static readonly string[] MatchingModes = ["batch", "continuous"];
    public static readonly string[] WeightFactors = ["topic", "crossSite", "sameSite", "loadSpreading", "roleFit", "availability", "requests"];

    /// <summary>
    /// The request with what it leaves out taken from its template (when it names one) and the district's guide for its
    /// format; an unknown template is named in <paramref name="validation"/>.
    /// </summary>
    public CreateProgramRequest WithDefaults(DistrictGuides guides, Validation validation)
    {
        var template = ProgramTemplates.Find(Template);
        validation.Require(Template is null || template is not null, "template", $"'template' must be one of: {string.Join(", ", ProgramTemplates.Ids)}.");
        var sessions = Sessions ?? (template is null ? null : [.. Enumerable.Repeat(new SessionRequest("either", null), template.Sessions)]);
        var kind = Kind ?? template?.Kind;
        var withTemplate = template is null ? this : this with
        {
            Kind = kind,
            Sessions = sessions,
            GroupSize = GroupSize ?? template.GroupSize,
            PreReflection = PreReflection ?? template.PreReflection,
            PostReflection = PostReflection ?? template.PostReflection,
            Touchpoints = Touchpoints ?? [.. template.TouchpointsFor(sessions!.Count).Select(t => new TouchpointRequest(t.AfterSession, t.Kind, t.DueAfterDays))],
            Pool = (Pool ?? new PoolRequest(null)) with { Sites = Pool?.Sites ?? template.PoolSites },
            Matching = (Matching ?? new MatchingRequest(null, null)) with { Rounds = Matching?.Rounds ?? (kind == "speed-mentoring" ? template.Rounds : null) },
            Message = new MessageRequest(Message?.Text ?? template.MessageText, Message?.GuideUrl),
            SessionMinutes = SessionMinutes ?? template.SessionMinutes,
        };
        return withTemplate.Message is { GuideUrl: null } message && withTemplate.Sessions is { Count: > 0 } planned
            && guides.For(planned.Count) is { } guide
            ? withTemplate with { Message = message with { GuideUrl = guide } }
            : withTemplate;
    }

    /// <summary>Validates every field and names each one that is wrong; a valid request becomes a definition.</summary>
    public ProgramDefinition? ToDefinition(Validation validation)
    {
        validation.RequireText(Name, "name").RequireOneOf(Kind, "kind", Kinds).RequireText(Topic, "topic");
        validation.Require(Sessions is { Count: > 0 }, "sessions", "'sessions' needs at least one session.");
        validation.Require(Sessions is null || Sessions.Count <= 12, "sessions", "'sessions' allows at most 12 sessions.");
        for (var i = 0; Sessions is not null && i < Sessions.Count; i++)
        {
            validation.RequireOneOf(Sessions[i]?.Modality, $"sessions[{i}].modality", Modalities);
        }
        validation.Require(SessionMinutes is null or >= 5 and <= 480, "sessionMinutes", "'sessionMinutes' must be between 5 and 480 minutes.");
        validation.Require(GroupSize is null or >= 1 and <= 20, "groupSize", "'groupSize' must be between 1 and 20 mentees per mentor.");
        for (var i = 0; Touchpoints is not null && i < Touchpoints.Count; i++)
        {
            var touchpoint = Touchpoints[i];
            validation.RequireOneOf(touchpoint?.Kind, $"touchpoints[{i}].kind", TouchpointKinds);
            validation.Require(touchpoint?.AfterSession is >= 1 && touchpoint.AfterSession < (Sessions?.Count ?? 0),
                $"touchpoints[{i}].afterSession", "'afterSession' must name a session that another session follows.");
            validation.Require(touchpoint?.DueAfterDays is null or >= 0 and <= 90,
                $"touchpoints[{i}].dueAfterDays", "'dueAfterDays' must be between 0 and 90.");
            validation.Require(touchpoint?.Prompt is null || touchpoint.Prompt.Length <= 1000,
                $"touchpoints[{i}].prompt", "'prompt' must be at most 1000 characters.");
        }
        validation.Require(Reminders?.NudgeAfterDays is null or >= 1 and <= 30, "reminders.nudgeAfterDays", "'reminders.nudgeAfterDays' must be between 1 and 30.");
        validation.Require(Reminders?.MissedAfterDays is null or >= 1 and <= 60, "reminders.missedAfterDays", "'reminders.missedAfterDays' must be between 1 and 60.");
        validation.Require((Reminders?.MissedAfterDays ?? EngagementRules.Default.MissedAfterDays) > (Reminders?.NudgeAfterDays ?? EngagementRules.Default.NudgeAfterDays),
            "reminders.missedAfterDays", "'reminders.missedAfterDays' must be later than the nudge ('reminders.nudgeAfterDays').");
        validation.Require(Reminders?.StallAfterDays is null or >= 1 and <= 90, "reminders.stallAfterDays", "'reminders.stallAfterDays' must be between 1 and 90.");
        ValidatePool(validation);
        ValidateMatching(validation);
        validation.RequireText(Message?.Text, "message.text", 4000);
        validation.Require(Message?.GuideUrl is null || Uri.TryCreate(Message.GuideUrl, UriKind.Absolute, out _),
            "message.guideUrl", "'message.guideUrl' must be an absolute URL.");

        if (!validation.IsValid)
        {
            return null;
        }

        return new ProgramDefinition(
            Name!.Trim(),
            Kind!,
            Topic!.Trim(),
            [.. Sessions!.Select((s, i) => new SessionPlan(i + 1, s.Modality!, s.StartsAt?.ToUniversalTime()))],
            GroupSize ?? 1,
            PreReflection ?? false,
            PostReflection ?? false,
            [.. (Touchpoints ?? []).Select(t => new TouchpointPlan(t.AfterSession!.Value, t.Kind!, t.DueAfterDays ?? 3, string.IsNullOrWhiteSpace(t.Prompt) ? null : t.Prompt.Trim()))],
            new PoolPlan(
                Pool?.Sites ?? "any",
                Trimmed(Pool?.MentorRoles),
                Trimmed(Pool?.MenteeRoles),
                Trimmed(Pool?.IncludedSites),
                [.. (Pool?.Exclusions ?? []).Select(x => new ExcludedPair(x.Mentor!.Trim(), x.Mentee!.Trim()))],
                Pool?.NoRepeatPairing ?? false,
                Pool?.MaxConcurrentMentees),
            new MatchingPlan(
                Matching?.Review ?? "manual",
                Matching?.Mode ?? "batch",
                Matching?.Rounds ?? (Kind == "speed-mentoring" ? 3 : 1),
                new Dictionary<string, int>(Matching?.Weights ?? new Dictionary<string, int>())),
            new MatchMessage(Message!.Text!, Message.GuideUrl),
            SessionMinutes ?? ProgramDefinition.DefaultSessionMinutes,
            new EngagementRules(
                Reminders?.NudgeAfterDays ?? EngagementRules.Default.NudgeAfterDays,
                Reminders?.MissedAfterDays ?? EngagementRules.Default.MissedAfterDays,
                Reminders?.StallAfterDays ?? EngagementRules.Default.StallAfterDays,
                Reminders?.QuietHours ?? EngagementRules.Default.QuietHours));
    }

    static IReadOnlyList<string> Trimmed(IReadOnlyList<string>? values) => [.. (values ?? []).Select(v => v.Trim())];

    void ValidatePool(Validation validation)
    {
        validation.Require(Pool?.Sites is null || PoolSites.Contains(Pool.Sites), "pool.sites", $"'pool.sites' must be one of: {string.Join(", ", PoolSites)}.");
        foreach (var (values, field) in new[] { (Pool?.MentorRoles, "pool.mentorRoles"), (Pool?.MenteeRoles, "pool.menteeRoles"), (Pool?.IncludedSites, "pool.includedSites") })
        {
            validation.Require(values is null || values.All(v => !string.IsNullOrWhiteSpace(v) && v.Length <= 100), field, $"'{field}' entries must be non-blank, at most 100 characters.");
        }
        for (var i = 0; Pool?.Exclusions is not null && i < Pool.Exclusions.Count; i++)
        {
            validation.RequireText(Pool.Exclusions[i]?.Mentor, $"pool.exclusions[{i}].mentor", 100)
                .RequireText(Pool.Exclusions[i]?.Mentee, $"pool.exclusions[{i}].mentee", 100);
        }
        validation.Require(Pool?.MaxConcurrentMentees is null or >= 1 and <= 50, "pool.maxConcurrentMentees", "'pool.maxConcurrentMentees' must be between 1 and 50.");
    }

    void ValidateMatching(Validation validation)
    {
        validation.Require(Matching?.Review is null || ReviewModes.Contains(Matching.Review), "matching.review", $"'matching.review' must be one of: {string.Join(", ", ReviewModes)}.");
        validation.Require(Matching?.Mode is null || MatchingModes.Contains(Matching.Mode), "matching.mode", $"'matching.mode' must be one of: {string.Join(", ", MatchingModes)}.");
        validation.Require(Matching?.Rounds is null or >= 1 and <= 10, "matching.rounds", "'matching.rounds' must be between 1 and 10.");
        validation.Require(Matching?.Rounds is null or 1 || Kind == "speed-mentoring", "matching.rounds", "Only speed-mentoring programs have more than one round.");
        validation.Require(Matching?.Mode != "continuous" || Kind != "speed-mentoring", "matching.mode", "Speed mentoring is matched in rounds, not continuously.");
        validation.Require(Kind != "speed-mentoring" || (Matching?.Rounds ?? 3) == 1 || Sessions is not { Count: > 1 }, "sessions",
            "A speed-mentoring event is one session: its rounds follow one another from its start, each 'sessionMinutes' long.");
        foreach (var (factor, weight) in Matching?.Weights ?? new Dictionary<string, int>())
        {
            validation.Require(WeightFactors.Contains(factor), $"matching.weights.{factor}", $"Unknown factor; the factors are: {string.Join(", ", WeightFactors)}.");
            validation.Require(weight is >= 0 and <= 10, $"matching.weights.{factor}", "Weights run from 0 to 10.");
        }
    }
}

/// <summary>Why a coordinator cancels a program; participants are told it.</summary>
public sealed record CancelRequest(string? Reason)
{
    public static readonly CancelRequest Example = new("Too few mentors signed up this term; we will run it again in the spring.");
}

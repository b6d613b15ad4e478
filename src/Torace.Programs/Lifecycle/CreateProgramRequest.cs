using Torace.Contracts;
using Torace.Platform.Api;

namespace Torace.Programs.Lifecycle;

public sealed record SessionRequest(string? Modality, DateTimeOffset? StartsAt);

public sealed record TouchpointRequest(int? AfterSession, string? Kind, int? DueAfterDays);

public sealed record PoolRequest(string? Sites);

public sealed record MatchingRequest(string? Review, IReadOnlyDictionary<string, int>? Weights);

public sealed record MessageRequest(string? Text, string? GuideUrl);

public sealed record CreateProgramRequest(
    string? Name,
    string? Kind,
    string? Topic,
    IReadOnlyList<SessionRequest>? Sessions,
    int? GroupSize,
    bool? PreReflection,
    bool? PostReflection,
    IReadOnlyList<TouchpointRequest>? Touchpoints,
    PoolRequest? Pool,
    MatchingRequest? Matching,
    MessageRequest? Message)
{
    public static readonly string[] Kinds = ["topic-intervention", "pd-event", "one-off", "speed-mentoring", "informational-interview"];
    public static readonly string[] Modalities = ["virtual", "in-person", "either"];
    public static readonly string[] TouchpointKinds = ["plan-feedback", "action-steps", "work-product"];
    public static readonly string[] PoolSites = ["same", "other", "any"];
    public static readonly string[] ReviewModes = ["manual", "auto"];

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
        validation.Require(GroupSize is null or >= 1 and <= 20, "groupSize", "'groupSize' must be between 1 and 20 mentees per mentor.");
        for (var i = 0; Touchpoints is not null && i < Touchpoints.Count; i++)
        {
            var touchpoint = Touchpoints[i];
            validation.RequireOneOf(touchpoint?.Kind, $"touchpoints[{i}].kind", TouchpointKinds);
            validation.Require(touchpoint?.AfterSession is >= 1 && touchpoint.AfterSession < (Sessions?.Count ?? 0),
                $"touchpoints[{i}].afterSession", "'afterSession' must name a session that another session follows.");
            validation.Require(touchpoint?.DueAfterDays is null or >= 0 and <= 90,
                $"touchpoints[{i}].dueAfterDays", "'dueAfterDays' must be between 0 and 90.");
        }
        validation.Require(Pool?.Sites is null || PoolSites.Contains(Pool.Sites), "pool.sites", $"'pool.sites' must be one of: {string.Join(", ", PoolSites)}.");
        validation.Require(Matching?.Review is null || ReviewModes.Contains(Matching.Review), "matching.review", $"'matching.review' must be one of: {string.Join(", ", ReviewModes)}.");
        foreach (var (factor, weight) in Matching?.Weights ?? new Dictionary<string, int>())
        {
            validation.Require(weight is >= 0 and <= 10, $"matching.weights.{factor}", "Weights run from 0 to 10.");
        }
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
            [.. (Touchpoints ?? []).Select(t => new TouchpointPlan(t.AfterSession!.Value, t.Kind!, t.DueAfterDays ?? 3))],
            Pool?.Sites ?? "any",
            Matching?.Review ?? "manual",
            new MatchMessage(Message!.Text!, Message.GuideUrl));
    }
}

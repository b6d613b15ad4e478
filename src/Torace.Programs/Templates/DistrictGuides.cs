using System.ComponentModel.DataAnnotations;
using Torace.Platform.Api;

namespace Torace.Programs.Templates;

/// <summary>The district's own 1-, 2- and 3-session conversation guides; a new program's default guide link is the one for its format.</summary>
public sealed record DistrictGuides(string Id, string? OneSession, string? TwoSession, string? ThreeSession)
{
    public const string DocumentId = "guides";

    public static readonly DistrictGuides None = new(DocumentId, null, null, null);

    public static async Task<DistrictGuides> Of(Marten.IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<DistrictGuides>(DocumentId, ct) ?? None;

    /// <summary>The guide for a program of this many sessions; regular mentoring (more than three) uses the three-session guide.</summary>
    public string? For(int sessions) => sessions switch
    {
        1 => OneSession,
        2 => TwoSession,
        _ => ThreeSession,
    };
}

public sealed record GuidesRequest(string? OneSession, string? TwoSession, string? ThreeSession)
{
    public static readonly GuidesRequest Example = new("https://district.example.org/mentoring/one-session-guide.pdf",
        "https://district.example.org/mentoring/two-session-guide.pdf", "https://district.example.org/mentoring/three-session-guide.pdf");

    public DistrictGuides? ToGuides(Validation validation)
    {
        foreach (var (url, field) in new[] { (OneSession, "oneSession"), (TwoSession, "twoSession"), (ThreeSession, "threeSession") })
        {
            validation.Require(url is null || url.Length <= 2000 && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http",
                field, $"'{field}' must be an absolute http(s) URL.");
        }
        return validation.IsValid ? new DistrictGuides(DistrictGuides.DocumentId, OneSession, TwoSession, ThreeSession) : null;
    }
}

public sealed record GuidesResponse(string? OneSession, string? TwoSession, string? ThreeSession)
{
    public static GuidesResponse From(DistrictGuides guides) => new(guides.OneSession, guides.TwoSession, guides.ThreeSession);
}

public sealed record TemplateTouchpointResponse(int AfterSession, [property: AllowedValues("plan-feedback", "action-steps", "work-product")] string Kind, int DueAfterDays);

/// <summary>A built-in template with the defaults a program created from it takes.</summary>
public sealed record ProgramTemplateResponse(
    string Id,
    string Title,
    string Explanation,
    [property: AllowedValues("topic-intervention", "pd-event", "one-off", "speed-mentoring", "informational-interview")] string Kind,
    [property: AllowedValues("one-session", "two-session", "three-session", "regular-mentoring")] string Format,
    int Sessions,
    int DaysBetweenSessions,
    int GroupSize,
    bool PreReflection,
    bool PostReflection,
    [property: AllowedValues("plan-feedback", "action-steps", "work-product")] string TouchpointKind,
    IReadOnlyList<TemplateTouchpointResponse> Touchpoints,
    [property: AllowedValues("same", "other", "any")] string PoolSites,
    int Rounds,
    string GuideLabel,
    string? GuideUrl,
    string MessageText)
{
    public static ProgramTemplateResponse From(ProgramTemplate t, DistrictGuides guides) => new(
        t.Id, t.Title, t.Explanation, t.Kind, t.Format, t.Sessions, t.DaysBetweenSessions, t.GroupSize, t.PreReflection, t.PostReflection,
        t.TouchpointKind, [.. t.Touchpoints.Select(x => new TemplateTouchpointResponse(x.AfterSession, x.Kind, x.DueAfterDays))],
        t.PoolSites, t.Rounds, t.GuideLabel, guides.For(t.Sessions), t.MessageText);
}

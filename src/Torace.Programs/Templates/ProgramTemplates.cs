using Torace.Programs.Lifecycle;

namespace Torace.Programs.Templates;

/// <summary>
/// A starting point for a new program, in the coordinator's words: the formats the seeds describe, each with the sessions,
/// reflections and touchpoints it usually has. A program created from one takes every value the request leaves out.
/// </summary>
public sealed record ProgramTemplate(
    string Id,
    string Title,
    string Explanation,
    string Kind,
    int Sessions,
    int DaysBetweenSessions,
    int GroupSize,
    bool PreReflection,
    bool PostReflection,
    string TouchpointKind,
    string PoolSites,
    int Rounds,
    string GuideLabel,
    string MessageText,
    int? SessionMinutes = null)
{
    public string Format => ProgramFormats.Of(Sessions);

    public IReadOnlyList<(int AfterSession, string Kind, int DueAfterDays)> Touchpoints => TouchpointsFor(Sessions);

    /// <summary>One touchpoint between each two of <paramref name="sessions"/> sessions, due halfway (DESIGN §5).</summary>
    public IReadOnlyList<(int AfterSession, string Kind, int DueAfterDays)> TouchpointsFor(int sessions) =>
        [.. Enumerable.Range(1, Math.Max(0, sessions - 1)).Select(after => (after, TouchpointKind, Math.Max(1, DaysBetweenSessions / 2)))];
}

public static class ProgramTemplates
{
    const string Welcome = "Welcome! Your match is below. Book your first conversation this week and bring one real question from your practice.";

    public static readonly IReadOnlyList<ProgramTemplate> All =
    [
        new("one-session", "One-session support",
            "A single conversation on one question, with a short reflection before and after. Implemented quickly: open it and match the same day.",
            "topic-intervention", 1, 0, 1, true, true, "action-steps", "any", 1, "one-session guide", Welcome),
        new("two-session", "Two-session intervention",
            "Meet, try something in class, meet again two weeks later. Between the sessions the mentee writes down their action steps.",
            "topic-intervention", 2, 14, 1, true, true, "action-steps", "any", 1, "two-session guide", Welcome),
        new("three-session", "Three-session intervention",
            "Three conversations two weeks apart: plan, try, look back. The mentor gives feedback on the plan between sessions.",
            "topic-intervention", 3, 14, 1, true, true, "plan-feedback", "any", 1, "three-session guide", Welcome),
        new("group-coaching", "Small-group coaching",
            "One mentor with up to four mentees meeting together twice; each mentee reports their own action steps.",
            "topic-intervention", 2, 14, 4, true, true, "action-steps", "any", 1, "two-session guide", Welcome),
        new("speed-mentoring", "Speed mentoring",
            "One event in three 15-minute rounds, one after another: every mentee meets a different mentor each round.",
            "speed-mentoring", 1, 0, 1, false, true, "action-steps", "any", 3, "one-session guide",
            "Welcome to speed mentoring! You will meet a different mentor in each round; come with one question you want answered.",
            SessionMinutes: 15),
        new("informational-interviews", "Informational interviews",
            "A staff member exploring a career move talks to someone in that role at another site.",
            "informational-interview", 1, 0, 1, true, false, "action-steps", "other", 1, "one-session guide",
            "Thank you for sharing your path. Your match is exploring a move into your role; a 30-minute conversation is plenty."),
        new("pd-plan-event", "PD-plan event",
            "Pairs at a professional-development day work on each mentee's PD plan, and bring a work product back afterwards.",
            "pd-event", 1, 0, 1, true, true, "work-product", "any", 1, "one-session guide", Welcome),
        new("one-off", "One-off conversation",
            "A single conversation without reflections, for a quick question.",
            "one-off", 1, 0, 1, false, false, "action-steps", "any", 1, "one-session guide", Welcome),
    ];

    public static readonly string[] Ids = [.. All.Select(t => t.Id)];

    public static ProgramTemplate? Find(string? id) => All.FirstOrDefault(t => t.Id == id);
}

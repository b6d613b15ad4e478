using MudBlazor;
using Torace.Admin.Gateway;

namespace Torace.Admin.Programs;

/// <summary>The API's values in the coordinator's words, the same on every page.</summary>
public static class Words
{
    /// <summary>"1 mentor", "3 mentees".</summary>
    public static string Count(int count, string thing) => count == 1 ? $"1 {thing}" : $"{count:N0} {thing}s";

    public static string ProgramStatus(string status) => status switch
    {
        "draft" => "Draft",
        "open" => "Open for enrolment",
        "matching" => "Matching",
        "running" => "Running",
        "completed" => "Completed",
        "cancelled" => "Cancelled",
        _ => status,
    };

    /// <summary>A program's format as the API names it (the number of sessions decides it).</summary>
    public static string Format(string format) => format switch
    {
        "one-session" => "One session",
        "two-session" => "Two sessions",
        "three-session" => "Three sessions",
        "regular-mentoring" => "Regular mentoring",
        _ => format,
    };

    public static Color StatusColour(string status) => status switch
    {
        "open" or "active" or "completed" => Color.Success,
        "matching" or "due" => Color.Info,
        "running" or "scheduled" => Color.Primary,
        "cancelled" or "withdrawn" or "declined" or "overdue" => Color.Error,
        _ => Color.Default,
    };

    public static string Kind(string kind) => kind switch
    {
        "topic-intervention" => "Topic intervention",
        "pd-event" => "PD-plan event",
        "one-off" => "One-off",
        "speed-mentoring" => "Speed mentoring",
        "informational-interview" => "Informational interviews",
        _ => kind,
    };

    public static string Modality(string modality) => modality switch
    {
        "virtual" => "online",
        "in-person" => "in person",
        "either" => "online or in person",
        _ => modality,
    };

    public static string Touchpoint(string kind) => kind switch
    {
        "pre-reflection" => "Reflection before",
        "post-reflection" => "Reflection after",
        "session-reminder" => "Session reminder",
        "plan-feedback" => "Feedback on the plan",
        "action-steps" => "Action steps",
        "work-product" => "Work product",
        _ => kind,
    };

    /// <summary>Why an engagement needs the coordinator, as the attention list's reasons say it.</summary>
    public static string Attention(string reason) => reason switch
    {
        "stalled" => "nothing has happened for a while",
        "overdue" => "a reflection or touchpoint is overdue",
        "unconfirmed-date" => "a proposed date waits to be confirmed",
        "no-show" => "someone missed a session",
        _ => reason,
    };

    /// <summary>An email's kind as a coordinator calls it: the match email, an invite, or a reminder of a touchpoint.</summary>
    public static string EmailKind(string kind) => kind switch
    {
        "match" => "Match email",
        "session-completed" => "Session done email",
        "program-cancelled" => "Cancellation",
        "session-scheduled" => "Calendar invite",
        "session-rescheduled" => "Moved invite",
        "engagement-ended" => "Cancelled invite",
        _ => Touchpoint(kind) + " reminder",
    };

    /// <summary>Why a mentee was not matched, as the engine's reason codes say it.</summary>
    public static string Unmatched(string reason) => reason switch
    {
        "no-eligible-mentor-in-pool" => "No mentor in the pool fits the program's rules for them.",
        "capacity-exhausted" => "Every mentor who fits is already full.",
        _ => reason.Replace('-', ' '),
    };

    /// <summary>A timeline entry in the coordinator's words, from its type and facts (the API sends no sentences).</summary>
    public static string History(HistoryItem entry)
    {
        string Fact(string key) => entry.Facts.TryGetValue(key, out var value) ? value : "";
        var by = entry.Actor is { } actor && actor.StartsWith("coordinator", StringComparison.Ordinal) ? " by a coordinator"
            : entry.Actor?.StartsWith("integrator", StringComparison.Ordinal) == true ? " through the API" : "";
        return entry.Type switch
        {
            "ProgramCreated" => $"Program '{Fact("name")}' created{by}",
            "ProgramDefinitionChanged" => $"Draft edited{by}",
            "ProgramOpened" => $"Enrolment opened{by}",
            "EnrolmentClosed" => $"Enrolment closed{by}",
            "ProgramStarted" => "The first match was published: the program is running",
            "ProgramCompleted" => $"Program completed: all {Count(int.TryParse(Fact("engagements"), out var done) ? done : 0, "engagement")} finished",
            "ProgramCancelled" => $"Program cancelled{by}: {Fact("reason")}",
            "ParticipantProfileChanged" => $"{Fact("name")}'s profile changed ({Fact("site")})",
            "MatchingRequested" => $"Matching requested for {Count(int.TryParse(Fact("enrolments"), out var n) ? n : 0, "enrolment")}{by}",
            "ParticipantEnrolled" => $"{Fact("name")} enrolled as {Fact("role")} ({Fact("site")})",
            "ParticipantWithdrawn" => "An enrolment was withdrawn",
            "MatchProposed" => $"{Fact("mentor")} matched with {Fact("mentees")}",
            "MatchDeclined" => Fact("withdrawn") == "true"
                ? $"A participant withdrew; the match {(Fact("matchEnded") == "true" ? "ended" : "goes on")}"
                : "A match was declined",
            "EngagementScheduled" => $"Engagement scheduled: {Count(int.TryParse(Fact("sessions"), out var s) ? s : 0, "session")}",
            "TouchpointDue" => $"{Touchpoint(Fact("kind"))} due from {Fact("recipients")}",
            "TouchpointSubmitted" => $"{Touchpoint(Fact("kind"))} submitted",
            "SessionCompleted" => $"Session {Fact("sessionNumber")} completed",
            "EngagementCompleted" => "Engagement completed",
            "EngagementEnded" => Fact("reason") is { Length: > 0 } why ? $"Engagement ended: {why}" : "Engagement ended",
            "NotificationSent" => $"{Fact("kind")} email sent to {Fact("recipient")}",
            "NotificationFailed" => $"{Fact("kind")} email to {Fact("recipient")} failed: {Fact("error")}",
            _ => entry.Type,
        };
    }
}

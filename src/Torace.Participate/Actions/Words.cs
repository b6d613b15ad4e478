using System.Globalization;

namespace Torace.Participate.Actions;

/// <summary>How the pages say things: a touchpoint's kind in words, a time in the participant's own time zone.</summary>
public static class Words
{
    public static string Kind(string kind) => kind switch
    {
        "pre-reflection" => "reflection before your first session",
        "post-reflection" => "reflection after your sessions",
        "plan-feedback" => "plan for feedback",
        "action-steps" => "action steps",
        "work-product" => "work product",
        "session-reminder" => "session reminder",
        _ => kind.Replace('-', ' '),
    };

    public static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public static TimeZoneInfo Zone(string? timeZone) =>
        timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public static string When(DateTimeOffset at, string? timeZone)
    {
        var zone = Zone(timeZone);
        return TimeZoneInfo.ConvertTime(at, zone).ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";
    }

    /// <summary>A wall-clock time the participant entered, in their time zone.</summary>
    public static DateTimeOffset At(DateTime local, string? timeZone)
    {
        var zone = Zone(timeZone);
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    public static string Modality(string modality) => modality switch
    {
        "in-person" => "in person",
        "either" => "virtual or in person",
        _ => modality,
    };
}

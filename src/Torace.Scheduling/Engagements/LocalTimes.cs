namespace Torace.Scheduling.Engagements;

/// <summary>
/// The participant's clock (DESIGN §5, "Times are stored in UTC and rendered in the participant's time zone"): a
/// reflection is due at 9 a.m. on its local day, and no reminder goes out in the quiet hours, 9 p.m. to 7 a.m. local.
/// Daylight-saving changes are handled by converting local wall times with the zone's own rules: a wall time that does
/// not exist (the spring gap) moves forward by the gap, and an ambiguous one (the autumn repeat) takes its first, earlier
/// instant, so a due time is never doubled or skipped.
/// </summary>
public static class LocalTimes
{
    public static readonly TimeOnly DueTime = new(9, 0);
    public static readonly TimeOnly QuietFrom = new(21, 0);
    public static readonly TimeOnly QuietUntil = new(7, 0);

    public static TimeZoneInfo Zone(string? timeZone) =>
        timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The local day of an instant in the zone.</summary>
    public static DateOnly DayOf(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>9 a.m. local on the day, as a UTC instant.</summary>
    public static DateTimeOffset DueOn(DateOnly day, TimeZoneInfo zone) => At(day.ToDateTime(DueTime), zone);

    /// <summary>A local wall time as a UTC instant: a time in the spring gap moves forward by the gap, an ambiguous one is the earlier instant.</summary>
    public static DateTimeOffset At(DateTime wall, TimeZoneInfo zone)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
        {
            var gap = zone.GetAdjustmentRules().FirstOrDefault(r => r.DateStart <= wall && wall <= r.DateEnd)?.DaylightDelta ?? TimeSpan.FromHours(1);
            wall += gap;
        }
        var offset = zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max() : zone.GetUtcOffset(wall);
        return new DateTimeOffset(wall, offset).ToUniversalTime();
    }

    /// <summary>The instant itself, or, when it falls in the zone's quiet hours, the next 7 a.m. local.</summary>
    public static DateTimeOffset OutOfQuietHours(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (time >= QuietUntil && time < QuietFrom)
        {
            return instant;
        }
        var day = DateOnly.FromDateTime(local.DateTime);
        var morning = time >= QuietFrom ? day.AddDays(1) : day;
        return At(morning.ToDateTime(QuietUntil), zone);
    }
}

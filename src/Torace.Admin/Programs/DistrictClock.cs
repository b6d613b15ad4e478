namespace Torace.Admin.Programs;

/// <summary>Now, and the time zone the admin shows and reads dates in (Admin:TimeZone, by default America/Chicago).</summary>
public sealed class DistrictClock(TimeProvider clock, IConfiguration configuration)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(configuration["Admin:TimeZone"] ?? "America/Chicago");

    public DateTimeOffset Now => clock.GetUtcNow();

    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);
}

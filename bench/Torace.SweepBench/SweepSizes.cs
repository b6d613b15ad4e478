namespace Torace.SweepBench;

/// <summary>
/// How much each round moves. The full sizes are the (20,000 touchpoints swept, 100,000 due at once); Hangfire
/// gets fewer jobs, since it drains about 65 a second here (DESIGN §5) and the comparison is of rates. --smoke runs
/// the same rounds tiny, to try the bench in a few minutes.
/// </summary>
public sealed record SweepSizes(string Name, int WarmUpTouchpoints, int SweepTouchpoints, int HangfireWarmUpJobs, int HangfireJobs,
    int LatenessWarmUpEngagements, int LatenessEngagements, TimeSpan Quiet)
{
    public static readonly SweepSizes Full = new("full", 1_000, 20_000, 50, 3_000, 100, 50_000, TimeSpan.FromSeconds(60));
    public static readonly SweepSizes Smoke = new("smoke", 100, 500, 20, 200, 20, 1_000, TimeSpan.FromSeconds(30));
}

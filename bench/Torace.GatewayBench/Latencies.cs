namespace Torace.GatewayBench;

/// <summary>One answered call: what it was, when it was sent (since the bench began), how long it took, its status (0: no answer).</summary>
public sealed record Sample(string Operation, TimeSpan SentAt, TimeSpan Took, int Status);

public static class Latencies
{
    /// <summary>Nearest-rank percentile in milliseconds.</summary>
    public static double Percentile(IReadOnlyList<Sample> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }
        var sorted = samples.Select(s => s.Took.TotalMilliseconds).Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The calls sent while a window was open (the other district's load), so warm-up and tail are left out.</summary>
    public static IReadOnlyList<Sample> Within(this IEnumerable<Sample> samples, TimeSpan from, TimeSpan to) =>
        [.. samples.Where(s => s.SentAt >= from && s.SentAt + s.Took <= to)];
}

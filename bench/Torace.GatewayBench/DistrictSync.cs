using System.Collections.Concurrent;
using System.Diagnostics;

namespace Torace.GatewayBench;

/// <summary>District A's HR sync: single enrolment calls, a fixed number in flight, each person once.</summary>
public sealed class DistrictSync(HttpClient http, Stopwatch clock)
{
    public async Task<IReadOnlyList<Sample>> Run(Guid programId, string prefix, int people, int inFlight, CancellationToken ct)
    {
        var samples = new ConcurrentBag<Sample>();
        var taken = -1;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref taken); i < people; i = Interlocked.Increment(ref taken))
            {
                var sent = clock.Elapsed;
                int status;
                try
                {
                    using var response = await PublicApi.Enrol(http, programId, $"{prefix}{i}@sync.example.org", i, ct);
                    await response.Content.LoadIntoBufferAsync(ct);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && !ct.IsCancellationRequested)
                {
                    status = 0;
                }
                samples.Add(new Sample("POST enrolment", sent, clock.Elapsed - sent, status));
            }
        }, ct)));
        return [.. samples.OrderBy(s => s.SentAt)];
    }
}

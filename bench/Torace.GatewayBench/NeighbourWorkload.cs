using System.Collections.Concurrent;
using System.Diagnostics;

namespace Torace.GatewayBench;

/// <summary>
/// District B going about its day: a few callers, each sending one call every <see cref="Interval"/> on a fixed schedule
/// (so its rate does not drop when answers slow down), rotating through reading the program, reading the first page
/// of its enrolments and enrolling one new person. The same in every phase; only what else runs changes.
/// </summary>
public sealed class NeighbourWorkload(HttpClient http, Stopwatch clock)
{
    public const int Callers = 4;
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    public static readonly string[] Operations = ["GET program", "GET enrolments", "POST enrolment"];

    public async Task<IReadOnlyList<Sample>> Run(Guid programId, string phase, CancellationToken stop)
    {
        var samples = new ConcurrentBag<Sample>();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            var next = clock.Elapsed + Interval * caller / Callers;
            for (var k = 0; !stop.IsCancellationRequested; k++)
            {
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
                next += Interval;
                var operation = Operations[(k + caller) % Operations.Length];
                samples.Add(await Call(operation, programId, $"b-{phase}-{caller}-{k}@neighbour.example.org", k));
            }
        }, CancellationToken.None)));
        return [.. samples.OrderBy(s => s.SentAt)];
    }

    async Task<Sample> Call(string operation, Guid programId, string email, int i)
    {
        var sent = clock.Elapsed;
        try
        {
            // Not tied to the phase's end: a call in flight when the phase stops is answered and then left out by its time.
            using var response = operation switch
            {
                "GET program" => await http.GetAsync($"/api/v1/programs/{programId}"),
                "GET enrolments" => await http.GetAsync($"/api/v1/programs/{programId}/enrolments?limit=50"),
                _ => await PublicApi.Enrol(http, programId, email, i, CancellationToken.None),
            };
            await response.Content.LoadIntoBufferAsync();
            return new Sample(operation, sent, clock.Elapsed - sent, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Sample(operation, sent, clock.Elapsed - sent, 0);
        }
    }
}

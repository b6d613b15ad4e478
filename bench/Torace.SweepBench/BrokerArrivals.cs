using System.Collections.Concurrent;
using Torace.Contracts.Scheduling;

namespace Torace.SweepBench;

/// <summary>One TouchpointDue as the bench's listener heard it: the touchpoint's due time and the moment it arrived.</summary>
public readonly record struct Arrival(DateTimeOffset DueAt, DateTimeOffset HeardAt)
{
    public TimeSpan Lateness => HeardAt - DueAt;
}

/// <summary>
/// What the listener heard on a host's virtual host, kept per program: each measurement writes its engagements (or
/// Hangfire jobs) under a program of its own, so rounds sharing a broker never count each other's messages.
/// </summary>
public sealed class BrokerArrivals
{
    readonly ConcurrentDictionary<Guid, ProgramArrivals> programs = new();

    public ProgramArrivals For(Guid programId) => programs.GetOrAdd(programId, _ => new ProgramArrivals());

    internal void Heard(TouchpointDue due, DateTimeOffset at) => For(due.ProgramId).Heard(due.TouchpointId, new Arrival(due.DueAt, at));

    internal void Scheduled(Guid programId) => For(programId).Scheduled();
}

/// <summary>One program's arrivals: the first arrival of each touchpoint, how many came again, and the EngagementScheduled count.</summary>
public sealed class ProgramArrivals
{
    readonly ConcurrentDictionary<Guid, Arrival> touchpoints = new();
    int repeats;
    int engagements;
    long lastHeardTicks;

    /// <summary>Touchpoints heard at least once.</summary>
    public int Touchpoints => touchpoints.Count;

    /// <summary>Deliveries of a touchpoint already heard (the outbox publishes at least once; a repeat is not an error, but is counted).</summary>
    public int Repeats => Volatile.Read(ref repeats);

    /// <summary>EngagementScheduled heard: the outbox has published that many of the set-up's engagements.</summary>
    public int Engagements => Volatile.Read(ref engagements);

    public DateTimeOffset? LastHeard => Interlocked.Read(ref lastHeardTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public IReadOnlyCollection<Arrival> Arrivals => [.. touchpoints.Values];

    internal void Heard(Guid touchpointId, Arrival arrival)
    {
        if (!touchpoints.TryAdd(touchpointId, arrival))
        {
            Interlocked.Increment(ref repeats);
            return;
        }
        // Handlers run concurrently: keep the latest first arrival.
        for (var seen = Interlocked.Read(ref lastHeardTicks); arrival.HeardAt.UtcTicks > seen;)
        {
            var was = Interlocked.CompareExchange(ref lastHeardTicks, arrival.HeardAt.UtcTicks, seen);
            if (was == seen)
            {
                break;
            }
            seen = was;
        }
    }

    internal void Scheduled() => Interlocked.Increment(ref engagements);

    /// <summary>
    /// Waits until <paramref name="done"/> holds, or until nothing new has arrived for <paramref name="quiet"/> (then
    /// answers false, and the report says how many arrived): a bench that stalls still ends and reports.
    /// </summary>
    public async Task<bool> Until(Func<ProgramArrivals, bool> done, TimeSpan quiet, CancellationToken ct)
    {
        var count = -1;
        var since = DateTimeOffset.UtcNow;
        while (!done(this))
        {
            var now = Touchpoints + Engagements;
            if (now != count)
            {
                count = now;
                since = DateTimeOffset.UtcNow;
            }
            else if (DateTimeOffset.UtcNow - since > quiet)
            {
                return false;
            }
            await Task.Delay(50, ct);
        }
        return true;
    }
}

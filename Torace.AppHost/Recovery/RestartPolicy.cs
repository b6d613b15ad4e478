namespace Torace.AppHost.Recovery;

/// <summary>What the restarter knows of one resource between two state changes.</summary>
/// <param name="State">The last state seen (DCP's executable states: Starting, Running, Stopping, Terminated, Finished, …).</param>
/// <param name="StopAsked">Someone asked for a stop since it last started (it went through Stopping, or DCP terminated it).</param>
/// <param name="RunningSince">When it last became Running; null while it is not running.</param>
/// <param name="Restarts">Restarts in a row, counted again from zero once it stayed running long enough.</param>
public sealed record ResourceWatch(string? State, bool StopAsked, DateTimeOffset? RunningSince, int Restarts)
{
    public static readonly ResourceWatch Unseen = new(null, false, null, 0);
}

/// <summary>Start it again after <paramref name="Delay"/>; this is restart number <paramref name="Restart"/> in a row.</summary>
public sealed record RestartDecision(TimeSpan Delay, int Restart);

/// <summary>
/// When a crashed service is started again, and when not. A process that ends on its own while Running crashed
/// (kill -9, an unhandled exception); one that went through Stopping, or that DCP terminated, was stopped on purpose
/// (the dashboard's or a test's stop, the first half of a restart, the AppHost shutting down) and stays stopped.
/// </summary>
public static class RestartPolicy
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(60);

    // DCP's names: Finished is a process that ended by itself, Terminated one that DCP killed.
    const string Running = "Running", Stopping = "Stopping", Terminated = "Terminated", Starting = "Starting";
    static readonly HashSet<string> EndedByItself = ["Finished", "Exited"];

    /// <summary>1 s, 2 s, 4 s … doubling per restart in a row, never more than 30 s.</summary>
    public static TimeSpan BackOff(int restart) =>
        restart <= 1 ? FirstDelay : TimeSpan.FromTicks(Math.Min(LongestDelay.Ticks, FirstDelay.Ticks << Math.Min(restart - 1, 20)));

    /// <summary>The resource changed to <paramref name="state"/> at <paramref name="now"/>: what it is now, and whether to start it again.</summary>
    public static (ResourceWatch Watch, RestartDecision? Restart) Observe(ResourceWatch watch, string? state, DateTimeOffset now)
    {
        if (state == watch.State)
        {
            return (watch, null);
        }
        switch (state)
        {
            case Running:
                return (watch with { State = state, StopAsked = false, RunningSince = now }, null);
            case Starting:
                return (watch with { State = state, StopAsked = false, RunningSince = null }, null);
            case Stopping or Terminated:
                return (watch with { State = state, StopAsked = true, RunningSince = null }, null);
            case not null when EndedByItself.Contains(state) && watch.State == Running && !watch.StopAsked:
                var stayedRunning = watch.RunningSince is { } since && now - since >= StableAfter;
                var restart = (stayedRunning ? 0 : watch.Restarts) + 1;
                return (watch with { State = state, RunningSince = null, Restarts = restart }, new RestartDecision(BackOff(restart), restart));
            default:
                return (watch with { State = state, RunningSince = null }, null);
        }
    }
}

using Npgsql;
using Polly;
using Polly.Retry;
using Torace.Platform.Messaging;

namespace Torace.Platform.Storage;

/// <summary>
/// How reads ride out a database restart or failover. After one, idle pooled connections are broken and each try may
/// draw another, so a read that lost its connection is tried up to six more times within about 6 s; on a pool of its
/// own, a server shutting down also empties the pool (at most once every few seconds) so the next try opens a fresh
/// connection. Nothing else is retried: a bad query or a caller's bad value fails the same way every time. Commits are
/// not retried here (a replayed commit could append twice): a consumer's own retry covers those, and an API call
/// answers 503 (<see cref="Api.CallerErrorHandler"/>).
/// </summary>
public static class DatabaseRetry
{
    static readonly TimeSpan ClearAtMostEvery = TimeSpan.FromSeconds(5);

    public static RetryStrategyOptions Reads(NpgsqlDataSource? pool = null)
    {
        var lastCleared = 0L;
        return new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(LostConnection),
            MaxRetryAttempts = 6,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = attempt =>
            {
                var now = Environment.TickCount64;
                var last = Interlocked.Read(ref lastCleared);
                if (pool is not null && ServerWentAway(attempt.Outcome.Exception) && now - last >= ClearAtMostEvery.TotalMilliseconds
                    && Interlocked.CompareExchange(ref lastCleared, now, last) == last)
                {
                    pool.Clear();
                }

                return ValueTask.CompletedTask;
            },
        };
    }

    /// <summary>A read pipeline over <paramref name="pool"/>, for code that talks to Npgsql itself.</summary>
    public static ResiliencePipeline ReadPipeline(NpgsqlDataSource pool) => new ResiliencePipelineBuilder().AddRetry(Reads(pool)).Build();

    /// <summary>
    /// The connection failed or broke (Npgsql calls it transient: a socket, stream or timeout fault), or the server is
    /// shutting down or starting; not an answer about the command itself, a cancelled query or a bug.
    /// </summary>
    public static bool LostConnection(Exception? fault) => fault is not null && TransientFaults.Causes(fault).Any(cause => cause switch
    {
        PostgresException postgres => IsServerGone(postgres.SqlState),
        NpgsqlOperationInProgressException => false,
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    });

    static bool ServerWentAway(Exception? fault) => fault is not null && TransientFaults.Causes(fault).Any(cause => cause is PostgresException { SqlState: var state } && IsServerGone(state));

    /// <summary>57P01–57P03 (shut down, crashed, starting) and class 08 (connection exception); never 57014, a cancelled query.</summary>
    static bool IsServerGone(string state) =>
        state is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
        || state.StartsWith("08", StringComparison.Ordinal);
}

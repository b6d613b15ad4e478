using JasperFx.Events.Daemon;
using Marten.Exceptions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Torace.Platform.Storage;

/// <summary>
/// How reads ride out a database restart or failover. After one, every idle pooled connection is broken and each try
/// may draw another, so a read is tried up to six more times within about 6 s, and the first lost connection empties
/// the pool so the next try opens a fresh one. Commits are not retried here (a replayed commit could append twice): a
/// consumer's own retry covers those, and an API call answers 503 (<see cref="Api.CallerErrorHandler"/>).
/// </summary>
public static class DatabaseRetry
{
    public static RetryStrategyOptions Reads(NpgsqlDataSource? pool = null) => new()
    {
        ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>().Handle<MartenCommandException>().Handle<EventLoaderException>(),
        MaxRetryAttempts = 6,
        Delay = TimeSpan.FromMilliseconds(100),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        OnRetry = attempt =>
        {
            if (pool is not null && LostConnection(attempt.Outcome.Exception))
            {
                pool.Clear();
            }

            return ValueTask.CompletedTask;
        },
    };

    /// <summary>A read pipeline over <paramref name="pool"/>, for code that talks to Npgsql itself.</summary>
    public static ResiliencePipeline ReadPipeline(NpgsqlDataSource pool) => new ResiliencePipelineBuilder().AddRetry(Reads(pool)).Build();

    /// <summary>A connection that failed or broke, or a server shutting down: not an answer about the command itself.</summary>
    public static bool LostConnection(Exception? fault)
    {
        for (var cause = fault; cause is not null; cause = cause.InnerException)
        {
            if (cause is PostgresException { SqlState: var state })
            {
                if (state.StartsWith("57", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (cause is NpgsqlException)
            {
                return true;
            }
        }

        return false;
    }
}

using System.Net.Sockets;
using JasperFx;
using Marten.Exceptions;
using Npgsql;
using RabbitMQ.Client.Exceptions;

namespace Torace.Platform.Messaging;

/// <summary>
/// A service's own rule that a fault is one a later try may fix (a mail server's 4xx, say), added to
/// <see cref="TransientFaults"/>' own with <c>services.AddSingleton&lt;TransientFault&gt;(…)</c>.
/// </summary>
public delegate bool TransientFault(Exception fault);

/// <summary>
/// Which faults are retried: a conflict, a database, broker, network or timeout fault, or one a service names
/// as transient. Anything else (a message that cannot be read, a bug) fails the same way every time, so it is
/// dead-lettered at once with its exception for an operator to look at and replay once fixed.
/// </summary>
public sealed class TransientFaults(IEnumerable<TransientFault> rules)
{
    public bool IsTransient(Exception fault) => Causes(fault).Any(cause => IsTransientItself(cause) || rules.Any(rule => rule(cause)));

    static bool IsTransientItself(Exception fault) => fault switch
    {
        ConcurrencyException or ExistingStreamIdCollisionException => true,
        // Marten's own conflicts: an unexpected stream version, a document changed meanwhile.
        DocumentAlreadyExistsException or ConcurrentUpdateException => true,
        PostgresException postgres => postgres.IsTransient
            || postgres.SqlState.StartsWith("40", StringComparison.Ordinal) // serialisation failure, deadlock
            || postgres.SqlState == PostgresErrorCodes.UniqueViolation    // a parallel delivery won; the retry is a no-op
            || postgres.SqlState.StartsWith("57", StringComparison.Ordinal) // the server is shutting down
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal), // connection lost
        NpgsqlException => true, // not a server answer: the connection failed
        SocketException or IOException or TimeoutException or HttpRequestException => true,
        Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException => true,
        BrokerUnreachableException or AlreadyClosedException or OperationInterruptedException => true,
        MassTransit.RabbitMqConnectionException or MassTransit.ConnectionException => true,
        OperationCanceledException => true, // a timeout inside the consumer; a shutdown never reaches the decision
        _ => false,
    };

    /// <summary>A fault and every fault inside it, aggregates opened.</summary>
    internal static IEnumerable<Exception> Causes(Exception fault)
    {
        for (Exception? cause = fault; cause is not null; cause = cause.InnerException)
        {
            if (cause is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Causes))
                {
                    yield return inner;
                }
            }

            yield return cause;
        }
    }
}

using Npgsql;

namespace Torace.Gateway.Idempotency;

/// <summary>
/// A request's transaction on the gateway database, opened by the first command. An idempotent POST's effect and the
/// answer stored for its Idempotency-Key commit together: <see cref="IdempotentPost{TRequest}"/> commits, nothing else.
/// </summary>
public sealed class GatewayTransaction(NpgsqlDataSource database) : IAsyncDisposable
{
    NpgsqlConnection? connection;
    NpgsqlTransaction? transaction;
    readonly List<Action> afterCommit = [];

    public async Task<NpgsqlCommand> Command(string sql, CancellationToken ct)
    {
        if (transaction is null)
        {
            connection = await database.OpenConnectionAsync(ct);
            transaction = await connection.BeginTransactionAsync(ct);
        }
        return new NpgsqlCommand(sql, connection, transaction);
    }

    /// <summary>Runs once the transaction has committed (e.g. dropping cached keys it changed); never if it rolls back.</summary>
    public void AfterCommit(Action action) => afterCommit.Add(action);

    public async Task Commit(CancellationToken ct)
    {
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
        foreach (var action in afterCommit)
        {
            action();
        }
        afterCommit.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}

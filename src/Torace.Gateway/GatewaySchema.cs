using Npgsql;

namespace Torace.Gateway;

/// <summary>The gateway's tables in its own database, created or migrated in place at start-up.</summary>
public static class GatewaySchema
{
    /// <summary>One advisory lock for every gateway migration, so instances starting together take turns.</summary>
    const long MigrationLock = 0x746F_7261_6365_6777; // "toracegw"

    public static async Task Migrate(NpgsqlDataSource database, string ddl, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var locking = new NpgsqlCommand("select pg_advisory_xact_lock($1)", connection, transaction))
        {
            locking.Parameters.AddWithValue(MigrationLock);
            await locking.ExecuteNonQueryAsync(ct);
        }
        await using (var migrate = new NpgsqlCommand(ddl, connection, transaction))
        {
            await migrate.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }
}

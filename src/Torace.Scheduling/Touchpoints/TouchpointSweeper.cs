using Marten;
using Npgsql;
using Torace.Scheduling.Engagements;

namespace Torace.Scheduling.Touchpoints;

/// <summary>
/// Claims due alarms a batch of engagements at a time and, in the same transaction, fires each on its engagement
/// (TouchpointBecameDue, a nudge, a miss, a stall; the outbox publishes them) and brings the engagement's rows up to
/// date (<see cref="DueTable.Sync"/>: the fired ones go, the next ones come). Several Scheduling instances can sweep at
/// once: a sweep takes an engagement only with a transaction-scoped advisory lock on it, so two sweeps never share an
/// engagement (its stream and its rows), and skips the ones another holds. A claim counts only if its transaction
/// commits, so a sweep that dies mid-batch leaves its rows to the next.
/// </summary>
public sealed class TouchpointSweeper(NpgsqlDataSource database, IDocumentStore store, TimeProvider clock, ILogger<TouchpointSweeper> log)
{
    /// <summary>Engagements per transaction.</summary>
    public const int BatchSize = 250;

    static readonly string Table = $"{SchedulingService.Name}.{DueTable.TableName}";

    static readonly string Claim = $"""
        with due as (
            select engagement_id from {Table}
            where claimed_at is null and due_at <= $1
            group by engagement_id
            order by min(due_at)
            limit {BatchSize}),
        taken as (
            select engagement_id from due where pg_try_advisory_xact_lock(hashtextextended('due-touchpoints:' || engagement_id::text, 0)))
        update {Table} t set claimed_at = $1
        from taken
        where t.engagement_id = taken.engagement_id and t.claimed_at is null and t.due_at <= $1
        returning t.tenant_id, t.engagement_id, t.alarm_id, (select count(*) from due)
        """;

    public async Task<int> Sweep(CancellationToken cancellationToken)
    {
        var total = 0;
        bool more;
        do
        {
            (var claimed, more) = await SweepBatch(cancellationToken);
            total += claimed;
        }
        while (more);

        if (total > 0)
        {
            log.LogInformation("Touchpoint sweep fired {Count} alarms", total);
        }
        return total;
    }

    /// <summary>One batch: the alarms it fired, and whether a full batch of engagements was due (so there may be more).</summary>
    async Task<(int Claimed, bool More)> SweepBatch(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var now = clock.GetUtcNow();
        var due = new List<(string Tenant, Guid Engagement, Guid Alarm)>();
        var dueEngagements = 0L;
        await using (var claim = new NpgsqlCommand(Claim, connection, transaction))
        {
            claim.Parameters.AddWithValue(now);
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetString(0), reader.GetGuid(1), reader.GetGuid(2)));
                dueEngagements = reader.GetInt64(3);
            }
        }

        foreach (var district in due.GroupBy(d => d.Tenant))
        {
            var options = Marten.Services.SessionOptions.ForTransaction(transaction);
            options.TenantId = district.Key;
            await using var session = store.LightweightSession(options);
            foreach (var engagement in district.GroupBy(d => d.Engagement))
            {
                var stream = await session.Events.FetchForWriting<Engagement>(engagement.Key, ct);
                if (stream.Aggregate is not { } state)
                {
                    continue;
                }
                foreach (var row in engagement)
                {
                    var events = EngagementDecisions.Fire(state, row.Alarm, now);
                    stream.AppendMany(events);
                    state = state.After(events);
                }
                DueTable.Sync(session, state, now);
            }
            await session.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return (due.Count, dueEngagements == BatchSize);
    }
}

using Marten;
using Npgsql;
using Torace.Scheduling.Engagements;

namespace Torace.Scheduling.Touchpoints;

/// <summary>
/// Claims due alarms in batches with FOR UPDATE SKIP LOCKED and, in the same transaction, fires each on its engagement
/// (TouchpointBecameDue, a nudge, a miss, a stall; the outbox publishes them) and brings the engagement's rows up to
/// date (<see cref="DueTable.Sync"/>: the fired ones go, the next ones come). Several Scheduling instances can sweep at
/// once; a row is claimed by exactly one and only if its transaction commits, so a sweep that dies mid-batch leaves its
/// rows to the next.
/// </summary>
public sealed class TouchpointSweeper(NpgsqlDataSource database, IDocumentStore store, TimeProvider clock, ILogger<TouchpointSweeper> log)
{
    public const int BatchSize = 500;

    static readonly string Claim = $"""
        update {SchedulingService.Name}.{DueTable.TableName} set claimed_at = $1
        where alarm_id in (
            select alarm_id from {SchedulingService.Name}.{DueTable.TableName}
            where claimed_at is null and due_at <= $1
            order by due_at
            limit {BatchSize}
            for update skip locked)
        returning tenant_id, engagement_id, alarm_id
        """;

    public async Task<int> Sweep(CancellationToken cancellationToken)
    {
        var total = 0;
        int claimed;
        do
        {
            claimed = await SweepBatch(cancellationToken);
            total += claimed;
        }
        while (claimed == BatchSize);

        if (total > 0)
        {
            log.LogInformation("Touchpoint sweep marked {Count} touchpoints due", total);
        }
        return total;
    }

    async Task<int> SweepBatch(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var now = clock.GetUtcNow();
        var due = new List<(string Tenant, Guid Engagement, Guid Alarm)>();
        await using (var claim = new NpgsqlCommand(Claim, connection, transaction))
        {
            claim.Parameters.AddWithValue(now);
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetString(0), reader.GetGuid(1), reader.GetGuid(2)));
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
        return due.Count;
    }
}

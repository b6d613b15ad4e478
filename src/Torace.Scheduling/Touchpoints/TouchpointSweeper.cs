using Marten;
using Npgsql;
using Torace.Scheduling.Engagements;

namespace Torace.Scheduling.Touchpoints;

/// <summary>
/// Claims due rows in batches with FOR UPDATE SKIP LOCKED and, in the same transaction, appends
/// TouchpointBecameDue to each engagement (the outbox publishes it as TouchpointDue). Several Scheduling
/// instances can sweep at once; a row is claimed by exactly one and only if its transaction commits.
/// </summary>
public sealed class TouchpointSweeper(NpgsqlDataSource database, IDocumentStore store, TimeProvider clock, ILogger<TouchpointSweeper> log)
{
    public const int BatchSize = 500;

    static readonly string Claim = $"""
        update {SchedulingService.Name}.{DueTable.TableName} set claimed_at = $1
        where touchpoint_id in (
            select touchpoint_id from {SchedulingService.Name}.{DueTable.TableName}
            where claimed_at is null and due_at <= $1
            order by due_at
            limit {BatchSize}
            for update skip locked)
        returning tenant_id, engagement_id, touchpoint_id
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

        var due = new List<(string Tenant, Guid Engagement, Guid Touchpoint)>();
        await using (var claim = new NpgsqlCommand(Claim, connection, transaction))
        {
            claim.Parameters.AddWithValue(clock.GetUtcNow());
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
                    var events = EngagementDecisions.MarkDue(state, row.Touchpoint);
                    stream.AppendMany(events);
                    state = events.Aggregate(state, (s, e) => s.Apply((TouchpointBecameDue)e));
                }
            }
            await session.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return due.Count;
    }
}

using Marten;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Torace.Notifications.Webhooks;

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Paused = "paused";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Pending, Delivered, Failed, Paused, Cancelled];
}

/// <summary>
/// A delivery taken for one attempt: what to send where, how many attempts came before, and whether its endpoint was failing
/// when it was taken (then it counts in the failing endpoints' pool, not in its district's share).
/// </summary>
public sealed record ClaimedDelivery(Guid Id, string TenantId, Guid EndpointId, string EventType, string Payload, int Attempts, bool Failing = false);

/// <summary>
/// What a claim may take beside what this instance already has in flight: per answering endpoint, per district (its answering
/// endpoints' attempts), and for failing endpoints (one each) in all.
/// </summary>
public sealed record ClaimShares(
    IReadOnlyDictionary<Guid, int> EndpointsInFlight, IReadOnlyDictionary<string, int> DistrictsInFlight, int FailingInFlight,
    int PerEndpoint, int PerDistrict, int Failing);

/// <summary>One row of the delivery log.</summary>
public sealed record DeliveryRow(
    Guid Id, Guid EndpointId, string EventType, Guid ResourceId, DateTimeOffset OccurredAt, DateTimeOffset CreatedAt, string Status, int Attempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, DateTimeOffset? DeliveredAt, string Payload);

public sealed record AttemptRow(Guid DeliveryId, int Attempt, DateTimeOffset At, int? StatusCode, string? Error, int DurationMs);

/// <summary>How an attempt ended: the receiver's status code (2xx is success), or why no answer came.</summary>
public sealed record AttemptOutcome(bool Succeeded, int? StatusCode, string? Error, TimeSpan Duration);

/// <summary>
/// The webhook deliveries, one row per (event, endpoint), with every attempt logged beside them, and each endpoint's run of
/// failures. Rows are written in the same transaction as what caused them (the consumer's fan-out, an endpoint's change),
/// and claimed with a lease so two Notifications instances never send the same delivery at once.
/// </summary>
public static class WebhookQueue
{
    public const string DeliveriesTable = "webhook_deliveries";
    public const string AttemptsTable = "webhook_attempts";
    public const string FailuresTable = "webhook_failures";

    static readonly string Deliveries = $"{NotificationsService.Name}.{DeliveriesTable}";
    static readonly string Attempts = $"{NotificationsService.Name}.{AttemptsTable}";
    static readonly string Failures = $"{NotificationsService.Name}.{FailuresTable}";

    // The IdentifierUsage overload only matters for names that need quoting; these do not.
#pragma warning disable CS0618
    public static IEnumerable<Table> Definitions(string schema)
    {
        var deliveries = new Table(new PostgresqlObjectName(schema, DeliveriesTable));
        deliveries.AddColumn<Guid>("id").AsPrimaryKey();
        deliveries.AddColumn<string>("tenant_id").NotNull();
        deliveries.AddColumn<Guid>("endpoint_id").NotNull();
        deliveries.AddColumn<string>("event_type").NotNull();
        deliveries.AddColumn<Guid>("resource_id").NotNull();
        deliveries.AddColumn<DateTimeOffset>("occurred_at").NotNull();
        deliveries.AddColumn<DateTimeOffset>("created_at").NotNull();
        deliveries.AddColumn<string>("payload").NotNull();
        deliveries.AddColumn<string>("status").NotNull();
        deliveries.AddColumn<int>("attempts").NotNull();
        deliveries.AddColumn<DateTimeOffset>("next_attempt_at").NotNull();
        deliveries.AddColumn<DateTimeOffset>("retry_until").NotNull();
        deliveries.AddColumn<DateTimeOffset>("leased_until");
        deliveries.AddColumn<DateTimeOffset>("last_attempt_at");
        deliveries.AddColumn<int>("last_status_code");
        deliveries.AddColumn<string>("last_error");
        deliveries.AddColumn<DateTimeOffset>("delivered_at");
        deliveries.Indexes.Add(new IndexDefinition($"ix_{DeliveriesTable}_ready") { Columns = ["next_attempt_at"], Predicate = "status = 'pending'" });
        deliveries.Indexes.Add(new IndexDefinition($"ix_{DeliveriesTable}_resource") { Columns = ["endpoint_id", "resource_id", "occurred_at"], Predicate = "status = 'pending'" });
        deliveries.Indexes.Add(new IndexDefinition($"ix_{DeliveriesTable}_log") { Columns = ["endpoint_id", "created_at"] });
        yield return deliveries;

        var attempts = new Table(new PostgresqlObjectName(schema, AttemptsTable));
        attempts.AddColumn<Guid>("delivery_id").AsPrimaryKey();
        attempts.AddColumn<int>("attempt").AsPrimaryKey();
        attempts.AddColumn<string>("tenant_id").NotNull();
        attempts.AddColumn<DateTimeOffset>("at").NotNull();
        attempts.AddColumn<int>("status_code");
        attempts.AddColumn<string>("error");
        attempts.AddColumn<int>("duration_ms").NotNull();
        yield return attempts;

        var failures = new Table(new PostgresqlObjectName(schema, FailuresTable));
        failures.AddColumn<Guid>("endpoint_id").AsPrimaryKey();
        failures.AddColumn<string>("tenant_id").NotNull();
        failures.AddColumn<DateTimeOffset>("failing_since").NotNull();
        failures.AddColumn<int>("failures").NotNull();
        yield return failures;
    }
#pragma warning restore CS0618

    /// <summary>Queues one delivery per endpoint in the session's transaction; the same event for the same endpoint is queued once.</summary>
    public static void Enqueue(IDocumentSession session, IReadOnlyList<(Guid Id, Guid EndpointId)> deliveries, WebhookEvent e, string payload,
        DateTimeOffset now, TimeSpan retryFor) =>
        session.QueueSqlCommand(
            $"""
            insert into {Deliveries} (id, tenant_id, endpoint_id, event_type, resource_id, occurred_at, created_at, payload, status, attempts, next_attempt_at, retry_until)
            select d.id, ?, d.endpoint_id, ?, ?, ?, ?, ?, '{DeliveryStatus.Pending}', 0, ?, ?
            from unnest(?::uuid[], ?::uuid[]) as d(id, endpoint_id)
            on conflict (id) do nothing
            """,
            session.TenantId, e.Type, e.ResourceId, e.OccurredAt.ToUniversalTime(), now.ToUniversalTime(), payload, now.ToUniversalTime(), (now + retryFor).ToUniversalTime(),
            deliveries.Select(d => d.Id).ToArray(), deliveries.Select(d => d.EndpointId).ToArray());

    /// <summary>A disabled endpoint's waiting deliveries wait until it is enabled (in the session's transaction).</summary>
    public static void Pause(IDocumentSession session, Guid endpointId) => session.QueueSqlCommand(
        $"update {Deliveries} set status = '{DeliveryStatus.Paused}', leased_until = null where endpoint_id = ? and status = '{DeliveryStatus.Pending}'", endpointId);

    /// <summary>An enabled endpoint's paused deliveries go out now, and its run of failures starts again.</summary>
    public static void Resume(IDocumentSession session, Guid endpointId, DateTimeOffset now)
    {
        session.QueueSqlCommand(
            $"update {Deliveries} set status = '{DeliveryStatus.Pending}', next_attempt_at = ? where endpoint_id = ? and status = '{DeliveryStatus.Paused}'",
            now.ToUniversalTime(), endpointId);
        session.QueueSqlCommand($"delete from {Failures} where endpoint_id = ?", endpointId);
    }

    /// <summary>A removed endpoint's undelivered deliveries are cancelled.</summary>
    public static void Cancel(IDocumentSession session, Guid endpointId) => session.QueueSqlCommand(
        $"update {Deliveries} set status = '{DeliveryStatus.Cancelled}', leased_until = null where endpoint_id = ? and status in ('{DeliveryStatus.Pending}', '{DeliveryStatus.Paused}')",
        endpointId);

    // A delivery waits while an earlier one of the same resource to the same endpoint is still pending (ordering per
    // resource). An endpoint whose last attempt failed (a row in the failures table) is failing: it is probed with one
    // attempt at a time, its attempts count in a pool of their own ($10, $11) rather than in its district's share, so
    // neither a district's own dead receivers nor several districts' can hold back a receiver that answers. Every other
    // endpoint and district get at most what their cap leaves beside the attempts this instance already has in flight
    // for them ($2-$7), and those at their cap are left out before the candidates are ranked.
    static readonly string ClaimSql = $"""
        with in_flight_endpoints as (select * from unnest($2::uuid[], $3::int[]) as f(endpoint_id, n)),
        in_flight_districts as (select * from unnest($4::text[], $5::int[]) as f(tenant_id, n)),
        candidates as (
            select d.id, d.tenant_id, d.endpoint_id, d.next_attempt_at, f.endpoint_id is not null as failing, coalesce(f.failures, 0) as failures
            from {Deliveries} d left join {Failures} f on f.endpoint_id = d.endpoint_id
            where d.status = '{DeliveryStatus.Pending}' and d.next_attempt_at <= $1 and (d.leased_until is null or d.leased_until <= $1)
              and not exists (
                  select 1 from in_flight_endpoints fe
                  where fe.endpoint_id = d.endpoint_id and fe.n >= case when f.endpoint_id is null then $6 else 1 end)
              and (f.endpoint_id is not null or d.tenant_id not in (select tenant_id from in_flight_districts where n >= $7))
              and (f.endpoint_id is null or $11 < $10)
              and not exists (
                  select 1 from {Deliveries} e
                  where e.endpoint_id = d.endpoint_id and e.resource_id = d.resource_id and e.status = '{DeliveryStatus.Pending}'
                    and (e.occurred_at, e.created_at, e.id) < (d.occurred_at, d.created_at, d.id))
            order by d.next_attempt_at
            limit 2000),
        within_endpoint as (
            select c.id, c.tenant_id, c.next_attempt_at, c.failing, c.failures from (
                select c.*, row_number() over (partition by c.endpoint_id order by c.next_attempt_at, c.id) + coalesce(fe.n, 0) as of_endpoint
                from candidates c left join in_flight_endpoints fe on fe.endpoint_id = c.endpoint_id) c
            where c.of_endpoint <= case when c.failing then 1 else $6 end),
        -- A district's share is counted over what its answering endpoints may take, so one endpoint at its cap does not use
        -- it up; failing endpoints share one pool across districts, the fewest failures in a row first (each probe that fails
        -- moves its endpoint back), so one that failed once is not kept waiting behind receivers long dead.
        within_share as (
            select w.id, w.next_attempt_at, w.failing,
                row_number() over (partition by w.failing, case when w.failing then '' else w.tenant_id end
                    order by case when w.failing then w.failures else 0 end, w.next_attempt_at, w.id)
                    + case when w.failing then $11 else coalesce(fd.n, 0) end as of_share
            from within_endpoint w left join in_flight_districts fd on fd.tenant_id = w.tenant_id),
        picked as (
            select id, failing from within_share where of_share <= case when failing then $10 else $7 end order by next_attempt_at limit $8),
        locked as (
            -- Checked again on the row as it is now: another instance's claim that committed meanwhile leased it.
            select d.id, p.failing from {Deliveries} d join picked p on p.id = d.id
            where d.status = '{DeliveryStatus.Pending}' and (d.leased_until is null or d.leased_until <= $1)
            for update of d skip locked)
        update {Deliveries} d set leased_until = $9
        from locked where d.id = locked.id
        returning d.id, d.tenant_id, d.endpoint_id, d.event_type, d.payload, d.attempts, locked.failing
        """;

    /// <summary>
    /// Leases up to <paramref name="limit"/> deliveries that are due, counting those this instance already sends: at most
    /// <see cref="ClaimShares.PerEndpoint"/> per answering endpoint and <see cref="ClaimShares.PerDistrict"/> per district, and one per
    /// failing endpoint with at most <see cref="ClaimShares.Failing"/> of those in all.
    /// </summary>
    public static async Task<IReadOnlyList<ClaimedDelivery>> Claim(NpgsqlDataSource database, DateTimeOffset now, ClaimShares shares, int limit,
        DateTimeOffset leasedUntil, CancellationToken ct)
    {
        await using var command = database.CreateCommand(ClaimSql);
        command.Parameters.AddWithValue(now.ToUniversalTime());
        command.Parameters.AddWithValue(shares.EndpointsInFlight.Keys.ToArray());
        command.Parameters.AddWithValue(shares.EndpointsInFlight.Values.ToArray());
        command.Parameters.AddWithValue(shares.DistrictsInFlight.Keys.ToArray());
        command.Parameters.AddWithValue(shares.DistrictsInFlight.Values.ToArray());
        command.Parameters.AddWithValue((long)shares.PerEndpoint);
        command.Parameters.AddWithValue((long)shares.PerDistrict);
        command.Parameters.AddWithValue((long)limit);
        command.Parameters.AddWithValue(leasedUntil.ToUniversalTime());
        command.Parameters.AddWithValue((long)shares.Failing);
        command.Parameters.AddWithValue((long)shares.FailingInFlight);
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add(new(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.GetBoolean(6)));
        }
        return claimed;
    }

    /// <summary>
    /// Records an attempt: delivered, or pending again at <paramref name="retryAt"/> (failed for good when that lies past the
    /// delivery's retry window; left paused or cancelled when its endpoint was disabled or removed meanwhile, its attempt
    /// counted all the same). Answers the endpoint's run of failures after it (none after a success).
    /// </summary>
    public static async Task<(DateTimeOffset FailingSince, int Failures)?> Record(NpgsqlDataSource database, ClaimedDelivery delivery, AttemptOutcome outcome,
        DateTimeOffset now, DateTimeOffset retryAt, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var batch = new NpgsqlBatch(connection, transaction);
        var error = outcome.Error is { Length: > 1000 } text ? text[..1000] : outcome.Error;
        batch.BatchCommands.Add(Command(
            $"insert into {Attempts} (delivery_id, attempt, tenant_id, at, status_code, error, duration_ms) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
            delivery.Id, delivery.Attempts + 1, delivery.TenantId, now.ToUniversalTime(), (object?)outcome.StatusCode ?? DBNull.Value, (object?)error ?? DBNull.Value,
            (int)Math.Min(int.MaxValue, outcome.Duration.TotalMilliseconds)));
        if (outcome.Succeeded)
        {
            batch.BatchCommands.Add(Command(
                $"""
                update {Deliveries} set status = '{DeliveryStatus.Delivered}', attempts = attempts + 1, delivered_at = $2, last_attempt_at = $2,
                    last_status_code = $3, last_error = null, leased_until = null
                where id = $1
                """,
                delivery.Id, now.ToUniversalTime(), (object?)outcome.StatusCode ?? DBNull.Value));
            batch.BatchCommands.Add(Command($"delete from {Failures} where endpoint_id = $1", delivery.EndpointId));
        }
        else
        {
            batch.BatchCommands.Add(Command(
                $"""
                update {Deliveries} set
                    status = case when status <> '{DeliveryStatus.Pending}' then status when $2 > retry_until then '{DeliveryStatus.Failed}' else status end,
                    next_attempt_at = case when status = '{DeliveryStatus.Pending}' then $2 else next_attempt_at end,
                    attempts = attempts + 1, last_attempt_at = $3, last_status_code = $4, last_error = $5, leased_until = null
                where id = $1
                """,
                delivery.Id, retryAt.ToUniversalTime(), now.ToUniversalTime(), (object?)outcome.StatusCode ?? DBNull.Value, (object?)error ?? DBNull.Value));
            batch.BatchCommands.Add(Command(
                $"""
                insert into {Failures} as f (endpoint_id, tenant_id, failing_since, failures) values ($1, $2, $3, 1)
                on conflict (endpoint_id) do update set failures = f.failures + 1
                returning f.failing_since, f.failures
                """,
                delivery.EndpointId, delivery.TenantId, now.ToUniversalTime()));
        }
        (DateTimeOffset, int)? run = null;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            do
            {
                while (await reader.ReadAsync(ct))
                {
                    run = (reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1));
                }
            }
            while (await reader.NextResultAsync(ct));
        }
        await transaction.CommitAsync(ct);
        return run;
    }

    /// <summary>
    /// A delivery claimed for an endpoint that is no longer enabled: paused until it is enabled again (or cancelled when
    /// it was removed), without counting an attempt. It was queued in the moment the endpoint was being disabled.
    /// </summary>
    public static async Task Park(NpgsqlDataSource database, Guid deliveryId, string status, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"update {Deliveries} set status = $2, leased_until = null where id = $1 and status = '{DeliveryStatus.Pending}'");
        command.Parameters.AddWithValue(deliveryId);
        command.Parameters.AddWithValue(status);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Sends deliveries of an endpoint again (their webhook-id unchanged), with a new retry window; answers how many.</summary>
    public static async Task<int> Replay(NpgsqlDataSource database, string tenantId, Guid endpointId, Guid? deliveryId, DateTimeOffset? since, bool onlyFailed,
        DateTimeOffset now, TimeSpan retryFor, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"""
            update {Deliveries} set status = '{DeliveryStatus.Pending}', next_attempt_at = $4, retry_until = $5, leased_until = null
            where tenant_id = $1 and endpoint_id = $2 and status <> '{DeliveryStatus.Pending}' and status <> '{DeliveryStatus.Paused}'
              and ($3::uuid is null or id = $3) and ($6::timestamptz is null or created_at >= $6)
              and (not $7 or status in ('{DeliveryStatus.Failed}', '{DeliveryStatus.Cancelled}'))
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(endpointId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)deliveryId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.AddWithValue(now.ToUniversalTime());
        command.Parameters.AddWithValue((now + retryFor).ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)since?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.AddWithValue(onlyFailed);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A page of an endpoint's delivery log, newest first, and how many it holds.</summary>
    public static async Task<(IReadOnlyList<DeliveryRow> Rows, long Total)> List(NpgsqlDataSource database, string tenantId, Guid endpointId, Guid? deliveryId,
        string? status, int offset, int limit, CancellationToken ct)
    {
        const string Filter = "tenant_id = $1 and endpoint_id = $2 and ($3::uuid is null or id = $3) and ($4::text is null or status = $4)";
        var batch = database.CreateBatch();
        batch.BatchCommands.Add(Command($"select count(*) from {Deliveries} where {Filter}", tenantId, endpointId, Nullable(deliveryId), Nullable(status)));
        batch.BatchCommands.Add(Command(
            $"""
            select id, endpoint_id, event_type, resource_id, occurred_at, created_at, status, attempts,
                case when status = '{DeliveryStatus.Pending}' then next_attempt_at end, last_attempt_at, last_status_code, last_error, delivered_at, payload
            from {Deliveries} where {Filter}
            order by created_at desc, id offset $5 limit $6
            """,
            tenantId, endpointId, Nullable(deliveryId), Nullable(status), (long)offset, (long)limit));
        await using var _ = batch;
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var rows = new List<DeliveryRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetGuid(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), reader.GetInt32(7), Optional<DateTimeOffset>(reader, 8), Optional<DateTimeOffset>(reader, 9),
                Optional<int>(reader, 10), reader.IsDBNull(11) ? null : reader.GetString(11), Optional<DateTimeOffset>(reader, 12), reader.GetString(13)));
        }
        return (rows, total);
    }

    /// <summary>Every attempt of these deliveries, oldest first.</summary>
    public static async Task<ILookup<Guid, AttemptRow>> AttemptsOf(NpgsqlDataSource database, string tenantId, IReadOnlyCollection<Guid> deliveryIds, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select delivery_id, attempt, at, status_code, error, duration_ms from {Attempts} where tenant_id = $1 and delivery_id = any($2) order by delivery_id, attempt");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(deliveryIds.ToArray());
        var attempts = new List<AttemptRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            attempts.Add(new(reader.GetGuid(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), Optional<int>(reader, 3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5)));
        }
        return attempts.ToLookup(a => a.DeliveryId);
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value is NpgsqlParameter parameter ? parameter : new NpgsqlParameter { Value = value });
        }
        return command;
    }

    static NpgsqlParameter Nullable(Guid? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid };

    static NpgsqlParameter Nullable(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    static T? Optional<T>(NpgsqlDataReader reader, int ordinal) where T : struct => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}

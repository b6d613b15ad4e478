using Marten;
using Torace.Scheduling.Engagements;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Torace.Scheduling.Touchpoints;

/// <summary>
/// Every engagement's alarms (<see cref="EngagementAlarms"/>), one row each, indexed on due_at for the rows not yet
/// claimed. Marten creates it with the rest of the schema; rows are written in the same transaction as the
/// engagement's events, so the table always holds exactly what the engagement's state says.
/// </summary>
public static class DueTable
{
    public const string TableName = "due_touchpoints";

    static readonly string Table = $"{SchedulingService.Name}.{TableName}";

    public static Table Definition(string schema)
    {
        // The IdentifierUsage overload only matters for names that need quoting; these do not.
#pragma warning disable CS0618
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("alarm_id").AsPrimaryKey();
        table.AddColumn<string>("tenant_id").NotNull();
        table.AddColumn<Guid>("engagement_id").NotNull();
        table.AddColumn<string>("kind").NotNull();
        table.AddColumn<DateTimeOffset>("due_at").NotNull();
        table.AddColumn<DateTimeOffset>("claimed_at");
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_unclaimed_due_at") { Columns = ["due_at"], Predicate = "claimed_at is null" });
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_engagement") { Columns = ["engagement_id"] });
        return table;
    }

    /// <summary>
    /// Makes the engagement's rows its alarms now: rows it no longer has go (fired, answered, moved, ended), new ones
    /// come, and one whose time moved is released to be claimed again at its new time.
    /// </summary>
    public static void Sync(IDocumentSession session, Engagement engagement, DateTimeOffset now) => Sync(session, [engagement], now);

    /// <summary>Every row of these engagements goes (in the session's district).</summary>
    public static void Forget(IDocumentSession session, IReadOnlyCollection<Guid> engagements)
    {
        if (engagements.Count > 0)
        {
            session.QueueSqlCommand($"delete from {Table} where tenant_id = ? and engagement_id = any(?)", session.TenantId, engagements.ToArray());
        }
    }

    /// <summary>
    /// <see cref="Sync(IDocumentSession, Engagement, DateTimeOffset)"/> for every engagement of a sweep's batch at once:
    /// two statements however many engagements (alarm ids are unique, so one list of the rows to keep serves them all).
    /// </summary>
    public static void Sync(IDocumentSession session, IReadOnlyCollection<Engagement> engagements, DateTimeOffset now)
    {
        var alarms = engagements.SelectMany(e => EngagementAlarms.Of(e, now).Select(a => (Engagement: e.Id, Alarm: a))).ToList();
        session.QueueSqlCommand(
            $"delete from {Table} where tenant_id = ? and engagement_id = any(?) and not (alarm_id = any(?))",
            session.TenantId, engagements.Select(e => e.Id).ToArray(), alarms.Select(a => a.Alarm.Id).ToArray());
        if (alarms.Count == 0)
        {
            return;
        }
        session.QueueSqlCommand(
            $"""
            insert into {Table} (alarm_id, tenant_id, engagement_id, kind, due_at)
            select a.id, ?, a.engagement_id, a.kind, a.due_at
            from unnest(?::uuid[], ?::uuid[], ?::text[], ?::timestamptz[]) as a(id, engagement_id, kind, due_at)
            on conflict (alarm_id) do update set due_at = excluded.due_at, claimed_at = null
            where {Table}.due_at <> excluded.due_at or {Table}.claimed_at is not null
            """,
            session.TenantId, alarms.Select(a => a.Alarm.Id).ToArray(), alarms.Select(a => a.Engagement).ToArray(),
            alarms.Select(a => a.Alarm.Kind).ToArray(), alarms.Select(a => a.Alarm.At.ToUniversalTime()).ToArray());
    }
}

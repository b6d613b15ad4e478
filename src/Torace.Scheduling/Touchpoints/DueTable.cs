using Marten;
using Torace.Scheduling.Engagements;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Torace.Scheduling.Touchpoints;

/// <summary>
/// Every future touchpoint, one row each, indexed on due_at for the rows not yet claimed. Marten creates
/// it with the rest of the schema; rows are written in the same transaction as the engagement's events.
/// </summary>
public static class DueTable
{
    public const string TableName = "due_touchpoints";

    public static Table Definition(string schema)
    {
        // The IdentifierUsage overload only matters for names that need quoting; these do not.
#pragma warning disable CS0618
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("touchpoint_id").AsPrimaryKey();
        table.AddColumn<string>("tenant_id").NotNull();
        table.AddColumn<Guid>("engagement_id").NotNull();
        table.AddColumn<DateTimeOffset>("due_at").NotNull();
        table.AddColumn<DateTimeOffset>("claimed_at");
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_unclaimed_due_at") { Columns = ["due_at"], Predicate = "claimed_at is null" });
        return table;
    }

    public static void Insert(IDocumentSession session, Guid engagementId, PlannedTouchpoint touchpoint) =>
        session.QueueSqlCommand(
            $"insert into {SchedulingService.Name}.{TableName} (touchpoint_id, tenant_id, engagement_id, due_at) values (?, ?, ?, ?) on conflict do nothing",
            touchpoint.Id, session.TenantId, engagementId, touchpoint.DueAt);

    public static void DropUnclaimed(IDocumentSession session, Guid engagementId) =>
        session.QueueSqlCommand(
            $"delete from {SchedulingService.Name}.{TableName} where engagement_id = ? and tenant_id = ? and claimed_at is null",
            engagementId, session.TenantId);
}

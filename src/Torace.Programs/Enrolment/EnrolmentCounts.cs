using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Torace.Programs.Lifecycle;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Torace.Programs.Enrolment;

/// <summary>A change of a program's active mentors and mentees in one counter row.</summary>
public sealed record CountChange(Guid ProgramId, int Shard, int Mentors, int Mentees);

/// <summary>A program's active mentors and mentees, summed over its counter rows.</summary>
public sealed record ProgramTotals(Guid ProgramId, int Mentors, int Mentees);

/// <summary>
/// How many mentors and mentees are actively enrolled in each program: a few counter rows per program, changed in the
/// transaction that enrols or withdraws, so reading a program's counts costs the same at 10 or 100,000 enrolments.
/// Parallel enrolments into one program do not wait on one row: each transaction adds to one of
/// <see cref="Shards"/> rows (chosen by its first enrolment), and touches at most one row per program, in program
/// order, so two transactions never wait on each other in a circle.
/// </summary>
public static class EnrolmentCounts
{
    public const string TableName = "enrolment_counts";
    public const int Shards = 8;

    /// <summary>
    /// The counter changes of one transaction's events, one per program, in program order. A withdrawal counts down the
    /// role the enrolment had (<paramref name="roleOf"/>); an enrolment counts up, also a withdrawn person enrolling again.
    /// </summary>
    public static IReadOnlyList<CountChange> Changes(IEnumerable<object> events, Func<Guid, string?> roleOf)
    {
        var changes = new SortedDictionary<Guid, CountChange>();
        foreach (var e in events)
        {
            var (programId, enrolmentId, role, by) = e switch
            {
                ParticipantEnrolled enrolled => (enrolled.ProgramId, enrolled.EnrolmentId, enrolled.Role, 1),
                ParticipantWithdrawn withdrawn => (withdrawn.ProgramId, withdrawn.EnrolmentId, roleOf(withdrawn.EnrolmentId), -1),
                _ => (Guid.Empty, Guid.Empty, null, 0),
            };
            if (role is null)
            {
                continue;
            }
            var change = changes.GetValueOrDefault(programId) ?? new CountChange(programId, ShardOf(enrolmentId), 0, 0);
            changes[programId] = role == Roles.Mentor ? change with { Mentors = change.Mentors + by } : change with { Mentees = change.Mentees + by };
        }
        return [.. changes.Values.Where(c => c.Mentors != 0 || c.Mentees != 0)];
    }

    static int ShardOf(Guid enrolmentId) => enrolmentId.ToByteArray()[0] % Shards;

    public static async Task<IReadOnlyDictionary<Guid, (int Mentors, int Mentees)>> Of(IQuerySession session, IReadOnlyList<Guid> programIds, CancellationToken ct)
    {
        var counts = programIds.Distinct().ToDictionary(id => id, _ => (0, 0));
        if (counts.Count == 0)
        {
            return counts;
        }
        var totals = await session.AdvancedSql.QueryAsync<ProgramTotals>(
            $"select jsonb_build_object('programId', program_id, 'mentors', sum(mentors), 'mentees', sum(mentees)) from {ProgramsService.Name}.{TableName} "
            + "where tenant_id = ? and program_id = any(?) group by program_id",
            ct, session.TenantId, counts.Keys.ToArray());
        foreach (var total in totals)
        {
            counts[total.ProgramId] = (total.Mentors, total.Mentees);
        }
        return counts;
    }

    public static Table Definition()
    {
        // The IdentifierUsage overload only matters for names that need quoting; these do not.
#pragma warning disable CS0618
        var table = new Table(new PostgresqlObjectName(ProgramsService.Name, TableName));
#pragma warning restore CS0618
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<Guid>("program_id").AsPrimaryKey();
        table.AddColumn<int>("shard").AsPrimaryKey();
        table.AddColumn<int>("mentors").NotNull().DefaultValue(0);
        table.AddColumn<int>("mentees").NotNull().DefaultValue(0);
        return table;
    }
}

/// <summary>Keeps <see cref="EnrolmentCounts"/> inline: the counter rows change in the transaction of the events.</summary>
public sealed class EnrolmentCountsProjection : IProjection
{
    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var withdrawn = events.Select(e => e.Data).OfType<ParticipantWithdrawn>().Select(w => w.EnrolmentId).ToList();
        var roles = withdrawn.Count == 0
            ? new Dictionary<Guid, string>()
            : (await operations.LoadManyAsync<Enrolment>(cancellation, withdrawn)).ToDictionary(e => e.Id, e => e.Profile.Role);
        foreach (var change in EnrolmentCounts.Changes(events.Select(e => e.Data), id => roles.GetValueOrDefault(id)))
        {
            operations.QueueSqlCommand(
                $"insert into {ProgramsService.Name}.{EnrolmentCounts.TableName} as c (tenant_id, program_id, shard, mentors, mentees) values (?, ?, ?, ?, ?) "
                + "on conflict (tenant_id, program_id, shard) do update set mentors = c.mentors + excluded.mentors, mentees = c.mentees + excluded.mentees",
                operations.TenantId, change.ProgramId, change.Shard, change.Mentors, change.Mentees);
        }
    }
}

/// <summary>
/// Fills the counter rows once for enrolments stored before they existed: at start-up, if there are none at all, one
/// baseline row per program counted from the enrolments (a single statement, so it sees one snapshot).
/// </summary>
public sealed class EnrolmentCountsBaseline(Npgsql.NpgsqlDataSource database, ILogger<EnrolmentCountsBaseline> log) : IHostedService
{
    const int BaselineShard = -1;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var counts = $"{ProgramsService.Name}.{EnrolmentCounts.TableName}";
        await using var command = database.CreateCommand($"""
            insert into {counts} (tenant_id, program_id, shard, mentors, mentees)
            select tenant_id, (data -> 'profile' ->> 'programId')::uuid, {BaselineShard},
                   count(*) filter (where (data ->> 'active')::boolean and data -> 'profile' ->> 'role' = '{Roles.Mentor}'),
                   count(*) filter (where (data ->> 'active')::boolean and data -> 'profile' ->> 'role' = '{Roles.Mentee}')
            from {ProgramsService.Name}.mt_doc_enrolment
            where not exists (select 1 from {counts})
            group by 1, 2
            on conflict do nothing
            """);
        if (await command.ExecuteNonQueryAsync(cancellationToken) is var programs and > 0)
        {
            log.LogInformation("Enrolment counts: a baseline for {Programs} programs enrolled before the counters existed", programs);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

}

public static class EnrolmentCountsSetup
{
    /// <summary>After the store, so the counter table exists when the baseline runs.</summary>
    public static IHostApplicationBuilder AddEnrolmentCounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<EnrolmentCountsBaseline>();
        return builder;
    }
}

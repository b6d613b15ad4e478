using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Torace.Platform.Erasure;

/// <summary>How much of one person's data a service masked.</summary>
public sealed record ErasureOutcome(int Events, int Documents);

/// <summary>
/// A column of a service's own table (beside Marten's) that may hold a person's data as JSON text, keyed by district
/// (<c>tenant_id</c>); the service registers it so that an erasure masks it too (the webhook delivery log's payloads).
/// </summary>
public sealed record PersonalDataColumn(string Table, string Column);

/// <summary>
/// That an enrolment was erased, kept by every service: what is about to go out to it (an email composed before the
/// erasure, waiting out a mail server's outage) is not sent.
/// </summary>
public sealed record ErasedEnrolment(Guid Id, DateTimeOffset ErasedAt);

/// <summary>
/// Erases a person from one service's database: every stored event and every document (snapshots, projections, stored
/// idempotent answers) that mentions them is masked in place, as Marten's event data masking does it: the event keeps
/// its stream, version and sequence, so projections and the outbox's position are untouched. Marten's own masking
/// rules are registered per event type and replace an event only of that exact type, and our events are immutable
/// records of dozens of types in four services; one masker that reads the JSON (<see cref="PersonalDataMask"/>) covers
/// them all, and every document too. The person is known by their enrolment ids; their names, emails and external ids
/// are found beside those ids first, then searched for everywhere. Running it again changes nothing more.
/// </summary>
public sealed class PersonalDataEraser(IDocumentStore store, NpgsqlDataSource database, IEnumerable<PersonalDataColumn> ownColumns)
{
    public async Task<ErasureOutcome> Erase(string tenantId, IReadOnlyCollection<Guid> enrolmentIds, Guid pseudonym, DateTimeOffset erasedAt, CancellationToken ct)
    {
        var person = new PersonalIdentifiers(enrolmentIds, pseudonym);
        if (enrolmentIds.Count == 0)
        {
            return new(0, 0);
        }
        await using (var session = store.LightweightSession(tenantId))
        {
            session.Store([.. enrolmentIds.Select(id => new ErasedEnrolment(id, erasedAt))]);
            await session.SaveChangesAsync(ct);
        }
        var schema = store.Options.DatabaseSchemaName;
        var columns = (await DocumentTables(schema, ct)).Select(table => new PersonalDataColumn($"\"{schema}\".\"{table}\"", "data"))
            .Prepend(new PersonalDataColumn($"\"{schema}\".mt_events", "data"))
            .Concat(ownColumns)
            .ToList();

        // First what identifies the person (beside their ids), then everything that mentions either.
        foreach (var column in columns)
        {
            await foreach (var json in Mentioning(column, tenantId, person.SearchTerms, ct))
            {
                PersonalDataMask.Collect(JsonNode.Parse(json), person);
            }
        }

        var events = await MaskRows(columns[0], tenantId, person, ct);
        var documents = 0;
        foreach (var column in columns.Skip(1))
        {
            documents += await MaskRows(column, tenantId, person, ct);
        }
        return new(events, documents);
    }

    async Task<List<string>> DocumentTables(string schema, CancellationToken ct)
    {
        await using var command = database.CreateCommand("""
            select c.table_name from information_schema.columns c
            join information_schema.columns t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.column_name = 'tenant_id'
            where c.table_schema = $1 and c.column_name = 'data' and c.data_type = 'jsonb' and c.table_name like 'mt\_doc\_%'
            order by 1
            """);
        command.Parameters.Add(new() { Value = schema });
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    async IAsyncEnumerable<string> Mentioning(PersonalDataColumn column, string tenantId, IEnumerable<string> terms,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select {column.Column}::text from {column.Table} where tenant_id = $1 and {column.Column}::text ilike any($2)");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = Patterns(terms), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return reader.GetString(0);
        }
    }

    /// <summary>Masks each row (event or document) that mentions the person, locking the rows so a concurrent write is not lost.</summary>
    async Task<int> MaskRows(PersonalDataColumn column, string tenantId, PersonalIdentifiers person, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var rows = new List<(object Row, string Json)>();
        await using (var select = new NpgsqlCommand(
            $"select ctid, {column.Column}::text from {column.Table} where tenant_id = $1 and {column.Column}::text ilike any($2) for update",
            connection, transaction))
        {
            select.Parameters.Add(new() { Value = tenantId });
            select.Parameters.Add(new() { Value = Patterns(person.SearchTerms), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetValue(0), reader.GetString(1)));
            }
        }
        var masked = 0;
        foreach (var (row, json) in rows)
        {
            var node = JsonNode.Parse(json);
            if (!PersonalDataMask.Mask(node, person))
            {
                continue;
            }
            // Text into a jsonb column or a text one alike: PostgreSQL casts an untyped parameter to the column's type.
            await using var update = new NpgsqlCommand($"update {column.Table} set {column.Column} = $1 where ctid = $2", connection, transaction);
            update.Parameters.Add(new() { Value = node!.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Unknown });
            update.Parameters.Add(new() { Value = row, NpgsqlDbType = NpgsqlDbType.Tid });
            masked += await update.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return masked;
    }

    static string[] Patterns(IEnumerable<string> terms) => [.. terms.Select(t => "%" + Escaped(t) + "%")];

    static string Escaped(string term)
    {
        var text = new StringBuilder(term.Length);
        foreach (var c in term)
        {
            if (c is '%' or '_' or '\\')
            {
                text.Append('\\');
            }
            text.Append(c);
        }
        return text.ToString();
    }
}

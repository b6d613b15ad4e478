using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Torace.Gateway.Audit;

/// <summary>
/// One read of personal data: who (the district, the kind of caller and its id: an API key's id, a coordinator's user
/// id, a participant's enrolment), when, through which endpoint (method and path template), with what answer, and whose
/// data it returned. People are named by keys that hold no personal data themselves: <c>enrolment:{id}</c>, and
/// <c>email:</c> / <c>external:</c> with an HMAC of the address or external id, so the audit outlives a person's erasure.
/// </summary>
public sealed record PersonalDataRead(
    Guid Id, DateTimeOffset At, string TenantId, string Actor, string? ActorId, string Method, string Endpoint, int Status, IReadOnlyList<string> People);

/// <summary>
/// The append-only audit of reads of personal data (DESIGN §7, §14) in the gateway's database: rows are only ever
/// inserted; a trigger refuses every update, delete and truncate.
/// </summary>
public sealed partial class PersonalDataAudit(NpgsqlDataSource database, byte[] key)
{
    public Task EnsureSchema(CancellationToken ct) => GatewaySchema.Migrate(database, """
        create schema if not exists gateway;
        create table if not exists gateway.personal_data_reads (
            id uuid primary key,
            at timestamptz not null,
            tenant_id text not null,
            actor text not null,
            actor_id text,
            method text not null,
            endpoint text not null,
            status int not null,
            people text[] not null);
        create index if not exists ix_personal_data_reads_at on gateway.personal_data_reads (tenant_id, at);
        create index if not exists ix_personal_data_reads_people on gateway.personal_data_reads using gin (people);
        create or replace function gateway.personal_data_reads_append_only() returns trigger language plpgsql as $$
        begin
            raise exception 'The personal data read audit is append-only: % is refused.', tg_op;
        end $$;
        drop trigger if exists personal_data_reads_append_only on gateway.personal_data_reads;
        create trigger personal_data_reads_append_only before update or delete on gateway.personal_data_reads
            for each row execute function gateway.personal_data_reads_append_only();
        drop trigger if exists personal_data_reads_no_truncate on gateway.personal_data_reads;
        create trigger personal_data_reads_no_truncate before truncate on gateway.personal_data_reads
            for each statement execute function gateway.personal_data_reads_append_only();
        """, ct);

    public async Task Append(PersonalDataRead read, CancellationToken ct)
    {
        await using var insert = database.CreateCommand("""
            insert into gateway.personal_data_reads (id, at, tenant_id, actor, actor_id, method, endpoint, status, people)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """);
        insert.Parameters.AddWithValue(read.Id);
        insert.Parameters.AddWithValue(read.At.ToUniversalTime());
        insert.Parameters.AddWithValue(read.TenantId);
        insert.Parameters.AddWithValue(read.Actor);
        insert.Parameters.AddWithValue((object?)read.ActorId ?? DBNull.Value);
        insert.Parameters.AddWithValue(read.Method);
        insert.Parameters.AddWithValue(read.Endpoint);
        insert.Parameters.AddWithValue(read.Status);
        insert.Parameters.AddWithValue(read.People.ToArray());
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A page of the district's audit, oldest first, filtered by person keys (any of them), actor (kind or id) and time.</summary>
    public async Task<(IReadOnlyList<PersonalDataRead> Reads, long Total)> Query(
        string tenantId, IReadOnlyList<string>? people, string? actor, DateTimeOffset? from, DateTimeOffset? to, int offset, int limit, CancellationToken ct)
    {
        const string Filter = """
            tenant_id = $1 and ($2::text[] is null or people && $2) and ($3::text is null or actor = $3 or actor_id = $3)
              and ($4::timestamptz is null or at >= $4) and ($5::timestamptz is null or at < $5)
            """;
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Command($"select count(*) from gateway.personal_data_reads where {Filter}", tenantId, people, actor, from, to));
        var page = Command($"""
            select id, at, tenant_id, actor, actor_id, method, endpoint, status, people from gateway.personal_data_reads
            where {Filter} order by at, id offset $6 limit $7
            """, tenantId, people, actor, from, to);
        page.Parameters.AddWithValue((long)offset);
        page.Parameters.AddWithValue((long)limit);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var reads = new List<PersonalDataRead>();
        while (await reader.ReadAsync(ct))
        {
            reads.Add(new(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetInt32(7), reader.GetFieldValue<string[]>(8)));
        }
        return (reads, total);
    }

    static NpgsqlBatchCommand Command(string sql, string tenantId, IReadOnlyList<string>? people, string? actor, DateTimeOffset? from, DateTimeOffset? to)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)people?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)actor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)from?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)to?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        return command;
    }

    /// <summary>
    /// The keys a <c>person</c> filter stands for: an enrolment id, or an email address or a district's external id
    /// (compared by their HMACs, as they were recorded).
    /// </summary>
    public IReadOnlyList<string> KeysOf(string person) => Guid.TryParse(person, out var enrolment)
        ? [$"enrolment:{enrolment}"]
        : [Keyed("email", person), Keyed("external", person)];

    /// <summary>
    /// Whose personal data a JSON answer holds: every object with an <c>email</c> or an <c>externalId</c> (a person:
    /// enrolment, engagement person, participant, a webhook payload) or an email-shaped <c>recipient</c> (the notification
    /// log, the history), by its enrolment id and HMACs of its email and external id; and every object that holds a
    /// person's id beside what they are called or wrote (<see cref="PersonIds"/> beside <see cref="PersonalFields"/>: a
    /// partner's name, a history entry's mentor and mentees, a decliner's reason), by those enrolment ids. An answer with
    /// nobody in it is no read of personal data.
    /// </summary>
    /// A CSV answer is read row by row as objects named by its header (a cell holding a JSON object, such as a history
    /// entry's facts, is read as one), and every answer that is not JSON is also searched for email addresses.
    public IReadOnlyList<string> PeopleIn(ReadOnlyMemory<byte> answer, bool json)
    {
        var people = new SortedSet<string>(StringComparer.Ordinal);
        if (json)
        {
            try
            {
                using var document = JsonDocument.Parse(answer, new JsonDocumentOptions { MaxDepth = 256 });
                Walk(document.RootElement, people);
                return [.. people];
            }
            catch (JsonException)
            {
            }
        }
        var text = Encoding.UTF8.GetString(answer.Span);
        try
        {
            foreach (var row in CsvRows.AsObjects(text))
            {
                Walk(row, people);
            }
        }
        catch (Exception e) when (e is CsvHelper.CsvFormatException or JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Text the CSV reader cannot make rows of: the search for email addresses below still reads it.
        }
        foreach (Match email in EmailAddress().Matches(text))
        {
            people.Add(Keyed("email", email.Value));
        }
        return [.. people];
    }

    /// <summary>Properties that name a person by enrolment id: one id, or several separated by commas (a history entry's facts).</summary>
    static readonly string[] PersonIds = ["enrolmentId", "mentorId", "menteeIds", "recipientId", "recipientIds", "declinedBy", "submittedBy"];

    /// <summary>Properties that hold what a person is called or wrote.</summary>
    static readonly string[] PersonalFields = ["name", "mentor", "mentees", "recipients", "reason", "response", "notes", "feedback", "link", "subject"];

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();

    void Walk(JsonElement element, SortedSet<string> people)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, people);
            }
            return;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        string? Text(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var email = Text("email");
        var external = Text("externalId");
        if (email is not null || external is not null)
        {
            if (email is not null)
            {
                people.Add(Keyed("email", email));
            }
            if (external is not null)
            {
                people.Add(Keyed("external", external));
            }
            if ((Text("enrolmentId") ?? (external is not null ? Text("id") : null)) is { } id && Guid.TryParse(id, out var enrolment))
            {
                people.Add($"enrolment:{enrolment}");
            }
        }
        if (Text("recipient") is { } recipient && recipient.Contains('@', StringComparison.Ordinal))
        {
            people.Add(Keyed("email", recipient));
        }
        if (PersonalFields.Any(field => !string.IsNullOrWhiteSpace(Text(field))))
        {
            foreach (var ids in PersonIds.Select(Text).OfType<string>())
            {
                foreach (var id in ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Guid.TryParse(id, out var enrolment))
                    {
                        people.Add($"enrolment:{enrolment}");
                    }
                }
            }
        }
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                Walk(property.Value, people);
            }
        }
    }

    string Keyed(string kind, string value) =>
        $"{kind}:{Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{kind}|{value.Trim().ToLowerInvariant()}")))[..32]}";

    /// <summary>A request path as an endpoint's template: ids and a person's external id replaced by placeholders, so no personal data is kept.</summary>
    public static string TemplateOf(string path)
    {
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (Guid.TryParse(segments[i], out _))
            {
                segments[i] = "{id}";
            }
            else if (i > 0 && segments[i - 1] == "people")
            {
                segments[i] = "{externalId}";
            }
            else if (Number().IsMatch(segments[i]))
            {
                segments[i] = "{number}";
            }
        }
        return string.Join('/', segments);
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Number();
}

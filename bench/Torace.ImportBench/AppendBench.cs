using System.Diagnostics;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Torace.Programs;
using Torace.Programs.Enrolment;
using Torace.Programs.History;
using Torace.Programs.Import;
using Weasel.Core;

namespace Torace.ImportBench;

/// <summary>One way of writing N enrolments: rows per second, median of the rounds.</summary>
public sealed record AppendRate(string Name, int Rows, IReadOnlyList<TimeSpan> Rounds)
{
    public TimeSpan Median => Rounds.Order().ElementAt(Rounds.Count / 2);
    public double PerSecond => Rows / Median.TotalSeconds;
}

/// <summary>
/// Marten appends next to raw Npgsql inserts of the same rows, against the bench system's PostgreSQL (a database of
/// its own): each enrolment a new stream of its own, written in sessions of <see cref="ImportWriter.BatchSize"/> as the
/// import writes them, with the Programs service's store configuration (conjoined tenancy; inline: the enrolment's
/// snapshot, its timeline entry and the program's counter row). The raw baseline writes what Marten writes (a stream
/// row, an event row, the snapshot and timeline documents, with the same indexes, and the counter row per batch) with
/// one NpgsqlBatch per batch in one transaction; a second, for scale, just one row per enrolment.
/// </summary>
public sealed class AppendBench(string serverConnectionString)
{
    const int Rows = 10_000;
    const int RoundsEach = 3;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<AppendRate>> Run(CancellationToken ct)
    {
        var connection = await Database(ct);
        await using var marten = Store(connection, EventAppendMode.Rich);
        await using var quick = Store(connection, EventAppendMode.Quick);
        await marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await quick.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var raw = NpgsqlDataSource.Create(connection);
        await CreateRawTables(raw, ct);

        var martenRounds = new List<TimeSpan>();
        var quickRounds = new List<TimeSpan>();
        var sameRowsRounds = new List<TimeSpan>();
        var oneRowRounds = new List<TimeSpan>();
        await Marten(marten, "warm-up", 1_000, ct);
        await Marten(quick, "quick-warm-up", 1_000, ct);
        await SameRows(raw, "warm-up", 1_000, ct);
        await OneRow(raw, "warm-up", 1_000, ct);
        for (var round = 0; round < RoundsEach; round++)
        {
            martenRounds.Add(await Marten(marten, $"round-{round}", Rows, ct));
            quickRounds.Add(await Marten(quick, $"quick-round-{round}", Rows, ct));
            sameRowsRounds.Add(await SameRows(raw, $"round-{round}", Rows, ct));
            oneRowRounds.Add(await OneRow(raw, $"round-{round}", Rows, ct));
        }
        return
        [
            new AppendRate("Marten (the service's settings): StartStream per enrolment, its inline projections", Rows, martenRounds),
            new AppendRate("raw Npgsql: the same rows (stream, event, snapshot, timeline entry; a counter per batch)", Rows, sameRowsRounds),
            new AppendRate("raw Npgsql: one row per enrolment", Rows, oneRowRounds),
            new AppendRate("Marten with EventAppendMode.Quick (not the service's setting)", Rows, quickRounds),
        ];
    }

    /// <summary>A store configured as the Programs service's (ToraceStore plus ProgramsService.ConfigureStore), in the given append mode.</summary>
    static DocumentStore Store(string connection, EventAppendMode mode) =>
        DocumentStore.For(options =>
        {
            options.Events.AppendMode = mode;
            options.Connection(connection);
            options.DatabaseSchemaName = ProgramsService.Name;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
            options.Events.TenancyStyle = TenancyStyle.Conjoined;
            options.Events.MetadataConfig.HeadersEnabled = true;
            options.Events.UseAdvisoryLockTransaction = true;
            options.Events.UseListenNotifyForEventAppends = true;
            options.Policies.AllDocumentsAreMultiTenanted();
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            ProgramsService.ConfigureStore(options);
        });

    static IEnumerable<ParticipantEnrolled[]> Enrolments(string tenant, int rows)
    {
        var programId = Guid.CreateVersion7();
        return Enumerable.Range(0, rows).Select(i => new ParticipantEnrolled(programId, Enrolment.IdFor(programId, "mentee", $"{tenant}-{i}"), "mentee",
                $"{tenant}-{i}", $"Mentee {i}", $"m{i}@append.example.org", $"School {i % 20}", ["sel", "math"], "virtual", "America/Chicago", 0,
                DateTimeOffset.UtcNow, "teacher", i % 30, ["tue-pm", "thu-pm"]))
            .Chunk(ImportWriter.BatchSize);
    }

    static async Task<TimeSpan> Marten(IDocumentStore store, string tenant, int rows, CancellationToken ct)
    {
        var batches = Enrolments("marten-" + tenant, rows).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await using var session = store.LightweightSession("marten-" + tenant);
            foreach (var e in batch)
            {
                session.Events.StartStream<Enrolment>(e.EnrolmentId, e);
            }
            await session.SaveChangesAsync(ct);
        }
        return clock.Elapsed;
    }

    /// <summary>
    /// What Marten writes for one enrolment with the service's projections, as plain inserts: the stream, the event, the
    /// snapshot document and the timeline entry; and per batch the program's counter row.
    /// </summary>
    static Task<TimeSpan> SameRows(NpgsqlDataSource raw, string tenant, int rows, CancellationToken ct) =>
        Raw(raw, "raw3-" + tenant, rows, (commands, e) =>
        {
            var now = DateTimeOffset.UtcNow;
            var eventId = Guid.CreateVersion7();
            commands.BatchCommands.Add(Command("insert into raw.streams (id, tenant_id, type, version, timestamp, created) values ($1, $2, 'enrolment', 1, $3, $3)",
                e.EnrolmentId, tenant, now));
            commands.BatchCommands.Add(Command("insert into raw.events (id, stream_id, version, data, type, timestamp, tenant_id, dotnet_type) values ($1, $2, 1, $3, 'participant_enrolled', $4, $5, 'Torace.Programs.Enrolment.ParticipantEnrolled')",
                eventId, e.EnrolmentId, Jsonb(e), now, tenant));
            commands.BatchCommands.Add(Command("insert into raw.enrolment_docs (tenant_id, id, data, mt_last_modified, mt_version) values ($1, $2, $3, $4, $5)",
                tenant, e.EnrolmentId, Jsonb(Enrolment.Create(e)), now, Guid.CreateVersion7()));
            commands.BatchCommands.Add(Command("insert into raw.timeline_docs (tenant_id, id, data, mt_last_modified, mt_version) values ($1, $2, $3, $4, $5)",
                tenant, eventId, Jsonb(TimelineFacts.ForOwn(eventId, e, now, null)!), now, Guid.CreateVersion7()));
        }, ct, (commands, batch) => commands.BatchCommands.Add(Command(
            "insert into raw.enrolment_counts as c (tenant_id, program_id, shard, mentors, mentees) values ($1, $2, 0, 0, $3) "
            + "on conflict (tenant_id, program_id, shard) do update set mentees = c.mentees + excluded.mentees",
            tenant, batch[0].ProgramId, batch.Length)));

    static Task<TimeSpan> OneRow(NpgsqlDataSource raw, string tenant, int rows, CancellationToken ct) =>
        Raw(raw, "raw1-" + tenant, rows, (commands, e) =>
            commands.BatchCommands.Add(Command("insert into raw.enrolments (tenant_id, id, data) values ($1, $2, $3)", tenant, e.EnrolmentId, Jsonb(e))), ct);

    /// <summary>Writes the enrolments batch by batch, one transaction and one round trip per batch, and times it.</summary>
    static async Task<TimeSpan> Raw(NpgsqlDataSource raw, string people, int rows, Action<NpgsqlBatch, ParticipantEnrolled> add, CancellationToken ct,
        Action<NpgsqlBatch, ParticipantEnrolled[]>? perBatch = null)
    {
        var batches = Enrolments(people, rows).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await using var connection = await raw.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var commands = new NpgsqlBatch(connection, tx);
            foreach (var e in batch)
            {
                add(commands, e);
            }
            perBatch?.Invoke(commands, batch);
            await commands.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
        return clock.Elapsed;
    }

    static NpgsqlParameter Jsonb(object value) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(value, value.GetType(), Json) };

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }
        return command;
    }

    static async Task CreateRawTables(NpgsqlDataSource raw, CancellationToken ct)
    {
        await using var command = raw.CreateCommand("""
            create schema if not exists raw;
            drop table if exists raw.streams, raw.events, raw.enrolment_docs, raw.timeline_docs, raw.enrolment_counts, raw.enrolments;
            create table raw.streams (id uuid not null, tenant_id text not null, type text, version bigint, timestamp timestamptz not null,
                created timestamptz not null, is_archived bool default false, primary key (tenant_id, id));
            create table raw.events (seq_id bigserial primary key, id uuid not null, stream_id uuid not null, version bigint not null, data jsonb not null,
                type text not null, timestamp timestamptz not null, tenant_id text not null, dotnet_type text, headers jsonb, is_archived bool default false,
                unique (tenant_id, stream_id, version));
            create table raw.enrolment_docs (tenant_id text not null, id uuid not null, data jsonb not null, mt_last_modified timestamptz,
                mt_version uuid not null, primary key (tenant_id, id));
            create index on raw.enrolment_docs (((data -> 'profile' ->> 'programId')::uuid));
            create index on raw.enrolment_docs (lower(data -> 'profile' ->> 'externalId'));
            create table raw.timeline_docs (tenant_id text not null, id uuid not null, data jsonb not null, mt_last_modified timestamptz,
                mt_version uuid not null, primary key (tenant_id, id));
            create index on raw.timeline_docs (((data ->> 'programId')::uuid));
            create index on raw.timeline_docs (programs.mt_immutable_timestamptz(data ->> 'at'));
            create table raw.enrolment_counts (tenant_id text not null, program_id uuid not null, shard int not null,
                mentors int not null default 0, mentees int not null default 0, primary key (tenant_id, program_id, shard));
            create table raw.enrolments (tenant_id text not null, id uuid not null, data jsonb not null, primary key (tenant_id, id));
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    async Task<string> Database(CancellationToken ct)
    {
        var target = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "appendbench" };
        var maintenance = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = 'appendbench'", connection);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand("create database appendbench", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        return target.ConnectionString;
    }
}

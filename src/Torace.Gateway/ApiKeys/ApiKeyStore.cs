using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using Polly;
using Torace.Gateway.Idempotency;
using Torace.Platform.Storage;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.ApiKeys;

/// <summary>A district's API key as stored: never the key, only its SHA-256 hash and a short prefix to recognise it by.</summary>
public sealed record ApiKey(
    Guid Id,
    string TenantId,
    string Name,
    IReadOnlyList<string> Scopes,
    string? Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    Guid? RotatedFrom)
{
    public bool WorksAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public string StatusAt(DateTimeOffset now) => RevokedAt is not null ? "revoked" : WorksAt(now) ? "active" : "expired";
}

/// <summary>A key just made: the only moment its value is known.</summary>
public sealed record IssuedApiKey(ApiKey Stored, string Key);

/// <summary>
/// Districts' API keys, stored only as SHA-256 hashes (keys are 32 random bytes, so a plain hash is enough), scoped,
/// several per district so a key can be rotated without downtime, expiring (after a rotation's grace period) and
/// revocable.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource database, IMemoryCache cache, TimeProvider clock)
{
    public const string KeyPrefix = "trc_";

    /// <summary>"trc_" and 8 characters: enough to tell keys apart in a list, far too little to guess the rest.</summary>
    const int ShownLength = 12;

    /// <summary>
    /// How long this instance trusts what it read about a key. Revoking or rotating drops the entry here at once;
    /// another gateway instance keeps honouring a key it read before the change for at most this long.
    /// </summary>
    static readonly TimeSpan TrustFor = TimeSpan.FromSeconds(10);

    const string Columns = "id, tenant_id, name, scopes, key_prefix, created_at, expires_at, revoked_at, rotated_from";

    readonly ResiliencePipeline reads = DatabaseRetry.ReadPipeline(database);

    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// Creates the table, or migrates one from before keys had ids, names and scopes in place: such keys were whole-district
    /// keys, so they keep every scope.
    /// </summary>
    public Task EnsureSchema(CancellationToken ct) => GatewaySchema.Migrate(database, """
        create schema if not exists gateway;
        create table if not exists gateway.api_keys (
            key_hash text primary key,
            tenant_id text not null,
            created_at timestamptz not null,
            revoked_at timestamptz);
        alter table gateway.api_keys
            add column if not exists id uuid,
            add column if not exists name text,
            add column if not exists scopes text[],
            add column if not exists key_prefix text,
            add column if not exists expires_at timestamptz,
            add column if not exists rotated_from uuid;
        update gateway.api_keys set
            id = coalesce(id, gen_random_uuid()),
            name = coalesce(name, 'key of ' || to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')),
            scopes = coalesce(scopes, '{read,write,admin}')
            where id is null or name is null or scopes is null;
        alter table gateway.api_keys
            alter column id set not null,
            alter column name set not null,
            alter column scopes set not null;
        create unique index if not exists api_keys_id on gateway.api_keys (id);
        create index if not exists api_keys_by_district on gateway.api_keys (tenant_id, created_at, id);
        """, ct);

    /// <summary>A development district's key from configuration, with every scope; a key already stored stays as it is (revoked stays revoked).</summary>
    public async Task Seed(string tenantId, string key, CancellationToken ct)
    {
        await using var command = database.CreateCommand("""
            insert into gateway.api_keys (key_hash, id, tenant_id, name, scopes, key_prefix, created_at)
            values ($1, $2, $3, 'development key', $4, $5, $6)
            on conflict (key_hash) do update set key_prefix = coalesce(api_keys.key_prefix, excluded.key_prefix)
            """);
        command.Parameters.AddWithValue(Hash(key));
        command.Parameters.AddWithValue(Guid.CreateVersion7());
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(Scopes.All);
        command.Parameters.AddWithValue(Shown(key));
        command.Parameters.AddWithValue(clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The stored key a caller sent, or null for an unknown, revoked or expired one. What was read is trusted briefly (<see cref="TrustFor"/>).</summary>
    public async Task<ApiKey?> Authenticate(string key, CancellationToken ct)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }
        var hash = Hash(key);
        if (!cache.TryGetValue(CacheKey(hash), out ApiKey? stored))
        {
            await using var command = database.CreateCommand($"select {Columns} from gateway.api_keys where key_hash = $1");
            command.Parameters.AddWithValue(hash);
            stored = await ReadFromPool(command, ct);
            if (stored is not null)
            {
                cache.Set(CacheKey(hash), stored, TrustFor);
            }
        }
        // Expiry is checked on every call, so a key whose grace period ends stops at that moment even while cached.
        return stored is not null && stored.WorksAt(clock.GetUtcNow()) ? stored : null;
    }

    public async Task<IssuedApiKey> Create(GatewayTransaction tx, string tenantId, string name, IReadOnlyList<string> scopes, Guid? rotatedFrom, CancellationToken ct)
    {
        var key = NewKey();
        await using var command = await tx.Command($"""
            insert into gateway.api_keys (key_hash, id, tenant_id, name, scopes, key_prefix, created_at, rotated_from)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            returning {Columns}
            """, ct);
        command.Parameters.AddWithValue(Hash(key));
        command.Parameters.AddWithValue(Guid.CreateVersion7());
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(scopes.ToArray());
        command.Parameters.AddWithValue(Shown(key));
        command.Parameters.AddWithValue(clock.GetUtcNow());
        command.Parameters.AddWithValue(rotatedFrom is { } from ? from : DBNull.Value);
        return new IssuedApiKey((await ReadOne(command, ct))!, key);
    }

    /// <summary>One of the district's keys, locked until the transaction ends (a rotation reads it this way).</summary>
    public async Task<ApiKey?> FindForUpdate(GatewayTransaction tx, string tenantId, Guid id, CancellationToken ct)
    {
        await using var command = await tx.Command($"select {Columns} from gateway.api_keys where tenant_id = $1 and id = $2 for update", ct);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        return await ReadOne(command, ct);
    }

    public async Task<ApiKey?> Find(string tenantId, Guid id, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select {Columns} from gateway.api_keys where tenant_id = $1 and id = $2");
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        return await ReadFromPool(command, ct);
    }

    /// <summary>The new key takes the old one's name and scopes; the old one works until <paramref name="grace"/> has passed (or less, if it was expiring sooner).</summary>
    public async Task<IssuedApiKey> Rotate(GatewayTransaction tx, ApiKey old, TimeSpan grace, CancellationToken ct)
    {
        await using var expire = await tx.Command("""
            update gateway.api_keys set expires_at = least(coalesce(expires_at, 'infinity'), $2) where id = $1 returning key_hash
            """, ct);
        expire.Parameters.AddWithValue(old.Id);
        expire.Parameters.AddWithValue(clock.GetUtcNow().Add(grace));
        var hash = (string)(await expire.ExecuteScalarAsync(ct))!;
        tx.AfterCommit(() => cache.Remove(CacheKey(hash)));
        return await Create(tx, old.TenantId, old.Name, old.Scopes, old.Id, ct);
    }

    /// <summary>Revokes one of the district's keys at once; false when the district has no such key. Revoking twice is harmless.</summary>
    public async Task<bool> Revoke(string tenantId, Guid id, CancellationToken ct)
    {
        await using var command = database.CreateCommand("""
            update gateway.api_keys set revoked_at = coalesce(revoked_at, $3) where tenant_id = $1 and id = $2 returning key_hash
            """);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        if (await command.ExecuteScalarAsync(ct) is not string hash)
        {
            return false;
        }
        cache.Remove(CacheKey(hash));
        return true;
    }

    /// <summary>A page of the district's keys, oldest first, after the key the cursor names; and how many keys the district has.</summary>
    public async Task<(IReadOnlyList<ApiKey> Keys, long Total)> List(string tenantId, ApiKeyCursor? after, int limit, CancellationToken ct)
    {
        await using var batch = database.CreateBatch();
        var page = new NpgsqlBatchCommand(after is null
            ? $"select {Columns} from gateway.api_keys where tenant_id = $1 order by created_at, id limit $2"
            : $"select {Columns} from gateway.api_keys where tenant_id = $1 and (created_at, id) > ($3, $4) order by created_at, id limit $2");
        page.Parameters.AddWithValue(tenantId);
        page.Parameters.AddWithValue(limit);
        if (after is not null)
        {
            page.Parameters.AddWithValue(after.CreatedAt);
            page.Parameters.AddWithValue(after.Id);
        }
        var count = new NpgsqlBatchCommand("select count(*) from gateway.api_keys where tenant_id = $1");
        count.Parameters.AddWithValue(tenantId);
        batch.BatchCommands.Add(page);
        batch.BatchCommands.Add(count);

        return await reads.ExecuteAsync(async token =>
        {
            await using var reader = await batch.ExecuteReaderAsync(token);
            var keys = new List<ApiKey>();
            while (await reader.ReadAsync(token))
            {
                keys.Add(Read(reader));
            }
            await reader.NextResultAsync(token);
            await reader.ReadAsync(token);
            return ((IReadOnlyList<ApiKey>)keys, reader.GetInt64(0));
        }, ct);
    }

    static string Shown(string key) => key[..Math.Min(ShownLength, key.Length)];

    static string CacheKey(string hash) => $"api-key:{hash}";

    /// <summary>
    /// A read on a connection of its own rides out a database restart (<see cref="DatabaseRetry"/>): every request
    /// authenticates through here. A read inside a transaction is not retried: its connection is the transaction's.
    /// </summary>
    Task<ApiKey?> ReadFromPool(NpgsqlCommand command, CancellationToken ct) => reads.ExecuteAsync(token => new ValueTask<ApiKey?>(ReadOne(command, token)), ct).AsTask();

    static async Task<ApiKey?> ReadOne(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    static ApiKey Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetFieldValue<string[]>(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        reader.IsDBNull(8) ? null : reader.GetGuid(8));
}

/// <summary>Where a page of keys ends: opaque to callers (base64url of the last key's creation time and id).</summary>
public sealed record ApiKeyCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode() => Convert.ToBase64String(Encoding.ASCII.GetBytes($"{CreatedAt.UtcTicks}.{Id:N}"))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public static ApiKeyCursor? Decode(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '=')));
            var parts = text.Split('.');
            return parts.Length == 2
                && long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && Guid.TryParseExact(parts[1], "N", out var id)
                ? new ApiKeyCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

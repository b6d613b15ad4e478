using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Torace.Gateway.ApiKeys;

/// <summary>
/// Districts' API keys, stored only as SHA-256 hashes (keys are 32 random bytes, so a plain hash is enough),
/// revocable, several per district so a key can be rotated without downtime.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource database, IMemoryCache cache, TimeProvider clock)
{
    public const string KeyPrefix = "trc_";

    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task EnsureSchema(CancellationToken ct)
    {
        await using var command = database.CreateCommand("""
            create schema if not exists gateway;
            create table if not exists gateway.api_keys (
                key_hash text primary key,
                tenant_id text not null,
                created_at timestamptz not null,
                revoked_at timestamptz);
            """);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task Register(string tenantId, string key, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            "insert into gateway.api_keys (key_hash, tenant_id, created_at) values ($1, $2, $3) on conflict (key_hash) do nothing");
        command.Parameters.AddWithValue(Hash(key));
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The district a key belongs to, or null for an unknown or revoked key. Answers are cached briefly.</summary>
    public async Task<string?> FindTenant(string key, CancellationToken ct)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }
        var hash = Hash(key);
        return await cache.GetOrCreateAsync($"api-key:{hash}", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
            await using var command = database.CreateCommand("select tenant_id from gateway.api_keys where key_hash = $1 and revoked_at is null");
            command.Parameters.AddWithValue(hash);
            return await command.ExecuteScalarAsync(ct) as string;
        });
    }
}

using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using Torace.Gateway.ApiKeys;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Tenancy;

namespace Torace.IntegrationTests.Gateway;

/// <summary>A gateway database from before keys had ids, names and scopes keeps its keys working.</summary>
public sealed class ApiKeyMigrationTests(ToraceSystem system) : IAsyncLifetime
{
    readonly string database = $"test_gateway_keys_{Guid.NewGuid():N}"[..40];
    NpgsqlDataSource? keys;

    public async ValueTask InitializeAsync()
    {
        await using var server = NpgsqlDataSource.Create(system.Postgres);
        await using var create = server.CreateCommand($"create database \"{database}\"");
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        keys = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(system.Postgres) { Database = database }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (keys is not null)
        {
            await keys.DisposeAsync();
        }
        await using var server = NpgsqlDataSource.Create(system.Postgres);
        await using var drop = server.CreateCommand($"drop database if exists \"{database}\" with (force)");
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_key_stored_before_scopes_existed_keeps_working_with_every_scope_after_the_migration()
    {
        var ct = TestContext.Current.CancellationToken;
        var oldKey = ApiKeyStore.NewKey();
        await using (var before = keys!.CreateCommand("""
            create schema gateway;
            create table gateway.api_keys (key_hash text primary key, tenant_id text not null, created_at timestamptz not null, revoked_at timestamptz);
            """))
        {
            await before.ExecuteNonQueryAsync(ct);
        }
        await using (var stored = keys.CreateCommand(
            "insert into gateway.api_keys values ($1, 'old-district', now() - interval '90 days', null), ('gone', 'old-district', now(), now())"))
        {
            stored.Parameters.AddWithValue(ApiKeyStore.Hash(oldKey));
            await stored.ExecuteNonQueryAsync(ct);
        }
        var store = new ApiKeyStore(keys, new MemoryCache(new MemoryCacheOptions()), TimeProvider.System);

        await store.EnsureSchema(ct);
        await store.EnsureSchema(ct);
        var migrated = await store.Authenticate(oldKey, ct);
        await store.Seed("old-district", oldKey, ct);
        var listed = await store.List("old-district", null, 10, ct);

        Assert.NotNull(migrated);
        Assert.Equal("old-district", migrated.TenantId);
        Assert.Equal(Scopes.All, migrated.Scopes);
        Assert.NotEqual(Guid.Empty, migrated.Id);
        Assert.False(string.IsNullOrWhiteSpace(migrated.Name));
        Assert.Equal(2, listed.Total);
        Assert.Equal(oldKey[..12], listed.Keys.Single(k => k.Id == migrated.Id).Prefix);
        Assert.Equal("revoked", listed.Keys.Single(k => k.Id != migrated.Id).StatusAt(DateTimeOffset.UtcNow));
    }
}

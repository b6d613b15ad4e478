using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Torace.Gateway.Idempotency;

/// <summary>An answer as the caller got it: status, Location, body. Replayed answers say so in <c>Idempotent-Replayed</c>.</summary>
public sealed record StoredAnswer(int Status, string? Location, string? ContentType, byte[] Body, bool Replayed = false) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }
        if (Replayed)
        {
            response.Headers["Idempotent-Replayed"] = "true";
        }
        if (Body.Length > 0)
        {
            response.ContentType = ContentType;
            response.ContentLength = Body.Length;
            await response.Body.WriteAsync(Body, httpContext.RequestAborted);
        }
    }
}

/// <summary>What an earlier request with the same Idempotency-Key was (its fingerprint) and answered (null when it can no longer be read).</summary>
public sealed record EarlierRequest(string Fingerprint, StoredAnswer? Answer);

/// <summary>
/// The first answer to each district's Idempotency-Key, kept 24 hours in the gateway database. The claim and the answer
/// are written in the request's <see cref="GatewayTransaction"/>, with its effect. Bodies are encrypted (AES-GCM, key
/// from <see cref="GatewaySecrets"/>): they hold API keys and links just issued.
/// </summary>
public sealed class IdempotentAnswers(NpgsqlDataSource database, GatewaySecrets secrets, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public Task EnsureSchema(CancellationToken ct) => GatewaySchema.Migrate(database, """
        create schema if not exists gateway;
        create table if not exists gateway.idempotent_requests (
            tenant_id text not null,
            idempotency_key text not null,
            fingerprint text not null,
            created_at timestamptz not null,
            status_code int,
            location text,
            content_type text,
            body bytea,
            primary key (tenant_id, idempotency_key));
        create index if not exists idempotent_requests_by_age on gateway.idempotent_requests (created_at);
        """, ct);

    /// <summary>
    /// Claims the key for this request, or answers the earlier request that holds it. A request with the same key
    /// still under way holds its claim's row: this waits until that one commits (then answers it) or rolls back (then
    /// claims), so two at once do the effect once. A claim older than <see cref="Window"/> is taken over.
    /// </summary>
    public async Task<EarlierRequest?> Claim(GatewayTransaction tx, string tenantId, string key, string fingerprint, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using (var claim = await tx.Command("""
            insert into gateway.idempotent_requests as r (tenant_id, idempotency_key, fingerprint, created_at) values ($1, $2, $3, $4)
            on conflict (tenant_id, idempotency_key) do update
                set fingerprint = excluded.fingerprint, created_at = excluded.created_at,
                    status_code = null, location = null, content_type = null, body = null
                where r.created_at <= $5
            returning 1
            """, ct))
        {
            claim.Parameters.AddWithValue(tenantId);
            claim.Parameters.AddWithValue(key);
            claim.Parameters.AddWithValue(fingerprint);
            claim.Parameters.AddWithValue(now);
            claim.Parameters.AddWithValue(now - Window);
            if (await claim.ExecuteScalarAsync(ct) is not null)
            {
                return null;
            }
        }

        await using var earlier = await tx.Command("""
            select fingerprint, status_code, location, content_type, body from gateway.idempotent_requests
            where tenant_id = $1 and idempotency_key = $2
            """, ct);
        earlier.Parameters.AddWithValue(tenantId);
        earlier.Parameters.AddWithValue(key);
        await using var reader = await earlier.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.IsDBNull(1))
        {
            // A claim is committed only with its answer, so this is a row being taken over right now.
            throw new InvalidOperationException("An Idempotency-Key claim was found without its answer.");
        }
        var body = Decrypt(reader.IsDBNull(4) ? [] : reader.GetFieldValue<byte[]>(4), tenantId, key);
        return new EarlierRequest(reader.GetString(0), body is null ? null : new StoredAnswer(
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            body,
            Replayed: true));
    }

    public async Task Store(GatewayTransaction tx, string tenantId, string key, StoredAnswer answer, CancellationToken ct)
    {
        await using var store = await tx.Command("""
            update gateway.idempotent_requests set status_code = $3, location = $4, content_type = $5, body = $6
            where tenant_id = $1 and idempotency_key = $2
            """, ct);
        store.Parameters.AddWithValue(tenantId);
        store.Parameters.AddWithValue(key);
        store.Parameters.AddWithValue(answer.Status);
        store.Parameters.AddWithValue((object?)answer.Location ?? DBNull.Value);
        store.Parameters.AddWithValue((object?)answer.ContentType ?? DBNull.Value);
        store.Parameters.AddWithValue(Encrypt(answer.Body, tenantId, key));
        await store.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Forgets answers older than the window (any instance may run this; it only deletes).</summary>
    public async Task Purge(CancellationToken ct)
    {
        await using var purge = database.CreateCommand("delete from gateway.idempotent_requests where created_at <= $1");
        purge.Parameters.AddWithValue(clock.GetUtcNow() - Window);
        await purge.ExecuteNonQueryAsync(ct);
    }

    // nonce (12) ‖ tag (16) ‖ ciphertext; the district and key are bound in as associated data, so rows cannot be swapped.
    byte[] Encrypt(byte[] plain, string tenantId, string key)
    {
        var sealed_ = new byte[12 + 16 + plain.Length];
        var nonce = sealed_.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(secrets.AnswerEncryptionKey, 16);
        aes.Encrypt(nonce, plain, sealed_.AsSpan(28), sealed_.AsSpan(12, 16), AssociatedData(tenantId, key));
        return sealed_;
    }

    /// <summary>Null when the answer cannot be read (it was sealed with another link key).</summary>
    byte[]? Decrypt(byte[] sealed_, string tenantId, string key)
    {
        if (sealed_.Length < 28)
        {
            return null;
        }
        var plain = new byte[sealed_.Length - 28];
        try
        {
            using var aes = new AesGcm(secrets.AnswerEncryptionKey, 16);
            aes.Decrypt(sealed_.AsSpan(0, 12), sealed_.AsSpan(28), sealed_.AsSpan(12, 16), plain, AssociatedData(tenantId, key));
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    static byte[] AssociatedData(string tenantId, string key) => Encoding.UTF8.GetBytes($"{tenantId}\n{key}");
}

/// <summary>Creates the table before the gateway serves, then forgets old answers every hour.</summary>
public sealed class IdempotentAnswersUpkeep(IdempotentAnswers answers, ILogger<IdempotentAnswersUpkeep> log) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await answers.EnsureSchema(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var hourly = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await answers.Purge(stoppingToken);
            }
            catch (NpgsqlException e)
            {
                log.LogWarning(e, "Forgetting expired idempotent answers failed; the next hour tries again.");
            }
        }
        while (await hourly.WaitForNextTickAsync(stoppingToken));
    }
}

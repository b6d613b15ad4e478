using System.Buffers.Binary;
using JasperFx.Events;
using Marten;
using Npgsql;
using Polly;
using Polly.Retry;
using Torace.Notifications.Email;
using Torace.Platform.Erasure;
using Torace.Platform.Storage;

namespace Torace.Notifications.Deliveries;

/// <summary>
/// Sends an email at most once per delivery key. A PostgreSQL advisory lock on the key, held on a connection of its
/// own, makes two deliveries of the same message racing each other (a redelivery while the first is still sending)
/// wait for each other; the one that finds the delivery recorded sends nothing. No transaction is open while the mail
/// server talks: once it has accepted the email, the record is written in a transaction of its own and retried until
/// the database takes it, so a database restart in the middle sends nothing twice. A crash between the accept and the
/// record is the one window left (DESIGN §4); the next delivery then sends again.
/// </summary>
public sealed class DeliveryLog(NpgsqlDataSource database, IDocumentStore store, IMailer mailer, TimeProvider clock)
{
    /// <summary>Up to about three minutes of a database that is away, at most 10 s between tries.</summary>
    static readonly ResiliencePipeline RecordUntilStored = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = new PredicateBuilder().Handle<Exception>(DatabaseRetry.LostConnection),
        MaxRetryAttempts = 24,
        Delay = TimeSpan.FromMilliseconds(250),
        MaxDelay = TimeSpan.FromSeconds(10),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
    }).Build();

    public async Task<bool> SendOnce(string tenantId, Guid programId, Guid messageId, EmailMessage email, CancellationToken ct)
    {
        if (Erased.IsAddress(email.To))
        {
            return false; // the person was erased: nobody is there to tell
        }
        var deliveryId = Delivery.KeyOf(messageId, email.To, email.Kind, email.Invite?.Uid);
        var key = BinaryPrimitives.ReadInt64LittleEndian(deliveryId.ToByteArray());
        await using var connection = await database.OpenConnectionAsync(ct);
        await Run(connection, "select pg_advisory_lock($1)", key, ct);
        try
        {
            await using (var query = store.QuerySession(tenantId))
            {
                if (await query.Events.FetchStreamStateAsync(deliveryId, ct) is not null)
                {
                    return false;
                }
                // Composed before the recipient was erased (a message that waited out an outage): nobody is there to tell.
                if (email.RecipientId is { } recipient && await query.LoadAsync<ErasedEnrolment>(recipient, ct) is not null)
                {
                    return false;
                }
            }

            // From here the send and its record run to the end (the mailer's own timeout bounds the send) whatever
            // happens to the delivery meanwhile: with the message's token, a broker connection lost in the middle
            // cancelled the SMTP goodbye or the record after the mail server had accepted the email, and the
            // redelivery sent it a second time (seen when RabbitMQ restarted right after a publish).
            await mailer.Send(email, CancellationToken.None);
            var delivered = new EmailDelivered(deliveryId, programId, messageId, email.Kind, email.To, email.Subject, clock.GetUtcNow(), email.RecipientId);
            await RecordUntilStored.ExecuteAsync(async token => await Record(tenantId, delivered, token), CancellationToken.None);
            return true;
        }
        finally
        {
            await Unlock(connection, key);
        }
    }

    async Task Record(string tenantId, EmailDelivered delivered, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenantId);
        session.Events.StartStream<Delivery>(delivered.DeliveryId, delivered);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ExistingStreamIdCollisionException)
        {
            // An earlier try committed and lost only its answer: the record is there.
        }
    }

    /// <summary>A connection lost meanwhile has released the lock with it; anything else is released here.</summary>
    static async Task Unlock(NpgsqlConnection connection, long key)
    {
        try
        {
            await Run(connection, "select pg_advisory_unlock($1)", key, CancellationToken.None);
        }
        catch (Exception e) when (DatabaseRetry.LostConnection(e) || e is InvalidOperationException)
        {
        }
    }

    static async Task Run(NpgsqlConnection connection, string sql, long key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(key);
        await command.ExecuteNonQueryAsync(ct);
    }
}

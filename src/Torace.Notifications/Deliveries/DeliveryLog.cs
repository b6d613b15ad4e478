using System.Buffers.Binary;
using Marten;
using Npgsql;
using Torace.Notifications.Email;

namespace Torace.Notifications.Deliveries;

/// <summary>
/// Sends an email at most once per delivery key. The check, the send and the record happen inside one
/// transaction that holds a PostgreSQL advisory lock on the key, so two deliveries of the same message
/// racing each other (a redelivery while the first is still sending) cannot both send. A crash between the
/// mail server's accept and the commit is the one window left; the next delivery then sends again.
/// </summary>
public sealed class DeliveryLog(NpgsqlDataSource database, IDocumentStore store, IMailer mailer, TimeProvider clock)
{
    public async Task<bool> SendOnce(string tenantId, Guid programId, Guid messageId, EmailMessage email, CancellationToken ct)
    {
        var deliveryId = Delivery.KeyOf(messageId, email.To, email.Kind);
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockKey = new NpgsqlCommand("select pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockKey.Parameters.AddWithValue(BinaryPrimitives.ReadInt64LittleEndian(deliveryId.ToByteArray()));
            await lockKey.ExecuteNonQueryAsync(ct);
        }

        var options = Marten.Services.SessionOptions.ForTransaction(transaction);
        options.TenantId = tenantId;
        await using var session = store.LightweightSession(options);
        if (await session.Events.FetchStreamStateAsync(deliveryId, ct) is not null)
        {
            return false;
        }

        // From here the send and its record run to the end (the mailer's own timeout bounds them) whatever
        // happens to the delivery meanwhile. With the message's token, a broker connection lost in the middle
        // cancelled the SMTP goodbye or the record after the mail server had accepted the email, and the
        // redelivery sent it a second time (seen when RabbitMQ restarted right after a publish).
        await mailer.Send(email, CancellationToken.None);
        session.Events.StartStream<Delivery>(deliveryId,
            new EmailDelivered(deliveryId, programId, messageId, email.Kind, email.To, email.Subject, clock.GetUtcNow()));
        await session.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }
}

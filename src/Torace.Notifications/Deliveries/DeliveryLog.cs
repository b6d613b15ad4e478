using System.Buffers.Binary;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using Polly;
using MailKit.Net.Smtp;
using Polly.Retry;
using Torace.Notifications.Branding;
using Torace.Notifications.Email;
using Torace.Platform.Erasure;
using Torace.Platform.Messaging;
using Torace.Platform.Storage;

namespace Torace.Notifications.Deliveries;

/// <summary>
/// Sends an email at most once per delivery key. A PostgreSQL advisory lock on the key, held on a connection of its
/// own, makes two deliveries of the same message racing each other (a redelivery while the first is still sending)
/// wait for each other; the one that finds the delivery recorded sends nothing. No transaction is open while the mail
/// server talks: once it has accepted the email, the record is written in a transaction of its own and retried until
/// the database takes it, so a database restart in the middle sends nothing twice. A crash between the accept and the
/// record is the one window left (DESIGN §4); the next delivery then sends again.
/// An email the mail server refuses for good (5xx), or one it could not be reached for on the message's last try, is
/// recorded as failed with the email itself, so the other recipients still get theirs and a coordinator can resend it.
/// </summary>
public sealed class DeliveryLog(
    NpgsqlDataSource database, IDocumentStore store, IMailer mailer, TransientFaults faults, DistrictBrands brands, TimeProvider clock)
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

    /// <summary>
    /// Sends the email unless its delivery is recorded already; answers whether it went out. On <paramref name="lastTry"/>
    /// a mail server still out of reach makes the delivery failed rather than the message wait again.
    /// </summary>
    public async Task<bool> SendOnce(string tenantId, Guid programId, Guid messageId, EmailMessage email, bool lastTry, CancellationToken ct)
    {
        if (Erased.IsAddress(email.To))
        {
            return false;
        }
        var deliveryId = Delivery.KeyOf(messageId, email.To, email.Kind, email.Invite?.Uid);
        email = email with { Brand = email.Brand ?? await brands.Of(tenantId, ct) };
        await using var connection = await Lock(deliveryId, ct);
        try
        {
            await using (var query = store.QuerySession(tenantId))
            {
                // Recorded already, or composed before the recipient was erased (a message that waited out an outage).
                if (await query.Events.FetchStreamStateAsync(deliveryId, ct) is not null || await IsErased(query, email, ct))
                {
                    return false;
                }
            }

            // From here the send and its record run to the end (the mailer's own timeout bounds the send) whatever
            // happens to the delivery meanwhile: with the message's token, a broker connection lost in the middle
            // cancelled the SMTP goodbye or the record after the mail server had accepted the email, and the
            // redelivery sent it a second time (seen when RabbitMQ restarted right after a publish).
            if (await Send(email, deliveryId, lastTry) is { } failure)
            {
                await Record(tenantId, deliveryId, null, new EmailFailed(deliveryId, programId, messageId, email.Kind, email.To, email.Subject,
                    failure.Reason, failure.Error, clock.GetUtcNow(), email, email.RecipientId));
                return false;
            }
            await Record(tenantId, deliveryId, null,
                new EmailDelivered(deliveryId, programId, messageId, email.Kind, email.To, email.Subject, clock.GetUtcNow(), email.RecipientId));
            return true;
        }
        finally
        {
            await Unlock(connection, deliveryId);
        }
    }

    /// <summary>
    /// Sends a failed email again, the same email as it was composed, on a coordinator's word (<paramref name="resentBy"/>):
    /// the delivery after it, or why not. A mail server still out of reach changes nothing; a refusal is recorded.
    /// </summary>
    public async Task<ResendOutcome> Resend(string tenantId, Guid deliveryId, string resentBy, CancellationToken ct)
    {
        await using var connection = await Lock(deliveryId, ct);
        try
        {
            await using var query = store.QuerySession(tenantId);
            var events = await query.Events.FetchStreamAsync(deliveryId, token: ct);
            if (events.Count == 0 || events[^1].Data is not EmailFailed failed)
            {
                return new ResendOutcome.NotFailed();
            }
            if (await IsErased(query, failed.Email, ct))
            {
                return new ResendOutcome.Erased();
            }
            (string Reason, string Error)? failure;
            try
            {
                failure = await Send(failed.Email, deliveryId, lastTry: false);
            }
            catch (Exception fault) when (faults.IsTransient(fault))
            {
                // Nothing is recorded: the coordinator is told to try again, the email stays failed as it was.
                return new ResendOutcome.Unreachable($"The mail server could not be reached: {fault.Message}");
            }
            if (failure is not null)
            {
                await Record(tenantId, deliveryId, events[^1].Version, failed with { Reason = failure.Value.Reason, Error = failure.Value.Error, FailedAt = clock.GetUtcNow() });
                return new ResendOutcome.Rejected(failure.Value.Error);
            }
            await Record(tenantId, deliveryId, events[^1].Version, new EmailDelivered(deliveryId, failed.ProgramId, failed.CausedBy, failed.Kind, failed.Recipient,
                failed.Subject, clock.GetUtcNow(), failed.RecipientId, resentBy));
            return new ResendOutcome.Sent();
        }
        finally
        {
            await Unlock(connection, deliveryId);
        }
    }

    /// <summary>
    /// Hands the email to the mail server: null when it was accepted, the failure when it was refused for good or (on
    /// <paramref name="lastTry"/>) could not be reached. Any other fault is thrown, for the message to be tried again later.
    /// </summary>
    async Task<(string Reason, string Error)?> Send(EmailMessage email, Guid deliveryId, bool lastTry)
    {
        try
        {
            await mailer.Send(email, deliveryId, CancellationToken.None);
            return null;
        }
        catch (SmtpCommandException refused) when (refused.StatusCode >= (SmtpStatusCode)500)
        {
            return (DeliveryFailure.Rejected, $"{(int)refused.StatusCode} {refused.Message}");
        }
        catch (Exception fault) when (faults.IsTransient(fault) && lastTry)
        {
            return (DeliveryFailure.Unreachable, $"The mail server could not be reached for {RedeliverySchedule.Total.TotalMinutes:0} minutes: {fault.Message}");
        }
    }

    /// <summary>The recipient was erased (by address, or by enrolment when the email was composed before): nobody is there to tell.</summary>
    static async Task<bool> IsErased(IQuerySession query, EmailMessage email, CancellationToken ct) =>
        Erased.IsAddress(email.To) || email.RecipientId is { } recipient && await query.LoadAsync<ErasedEnrolment>(recipient, ct) is not null;

    async Task Record(string tenantId, Guid deliveryId, long? version, object outcome) =>
        await RecordUntilStored.ExecuteAsync(async ct =>
        {
            await using var session = store.LightweightSession(tenantId);
            if (version is { } expected)
            {
                session.Events.Append(deliveryId, expected + 1, outcome);
            }
            else
            {
                session.Events.StartStream<Delivery>(deliveryId, outcome);
            }
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is ExistingStreamIdCollisionException or ConcurrencyException)
            {
                // An earlier try committed and lost only its answer: the record is there (the lock keeps anyone else out).
            }
        }, CancellationToken.None);

    async Task<NpgsqlConnection> Lock(Guid deliveryId, CancellationToken ct)
    {
        var connection = await database.OpenConnectionAsync(ct);
        try
        {
            await Run(connection, "select pg_advisory_lock($1)", KeyOf(deliveryId), ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    static long KeyOf(Guid deliveryId) => BinaryPrimitives.ReadInt64LittleEndian(deliveryId.ToByteArray());

    /// <summary>A connection lost meanwhile has released the lock with it; anything else is released here.</summary>
    static async Task Unlock(NpgsqlConnection connection, Guid deliveryId)
    {
        try
        {
            await Run(connection, "select pg_advisory_unlock($1)", KeyOf(deliveryId), CancellationToken.None);
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

/// <summary>How a resend ended.</summary>
public abstract record ResendOutcome
{
    public sealed record Sent : ResendOutcome;

    /// <summary>The delivery went out already (or never failed): the log sends nothing twice.</summary>
    public sealed record NotFailed : ResendOutcome;

    /// <summary>The recipient was erased: nobody is there to tell.</summary>
    public sealed record Erased : ResendOutcome;

    public sealed record Rejected(string Error) : ResendOutcome;

    public sealed record Unreachable(string Error) : ResendOutcome;
}


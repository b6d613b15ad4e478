using System.Collections.Concurrent;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Polly;
using Polly.Retry;
using Torace.Notifications.Branding;
using Torace.Notifications.Invites;

namespace Torace.Notifications.Email;

public interface IMailer
{
    /// <summary>Hands the email to the mail server, its Message-ID made from <paramref name="deliveryId"/> (see <see cref="EmailMime.MessageIdOf"/>).</summary>
    Task Send(EmailMessage message, Guid deliveryId, CancellationToken cancellationToken);
}

/// <summary>
/// Sends through the SMTP server in ConnectionStrings:mail (smtp://host:port), retrying transient faults. Connections are
/// kept open between emails (up to <see cref="MaxIdle"/>, each for at most <see cref="IdleFor"/>), so an email is one
/// SMTP transaction rather than a connection, a greeting and a goodbye; a connection that failed in any way is dropped,
/// and the retry opens a new one.
/// </summary>
public sealed class SmtpMailer(Uri server, Sender from, ResiliencePipeline retry, TimeProvider clock) : IMailer, IAsyncDisposable
{
    public const int MaxIdle = 8;
    public static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(20);

    // A stack: the connection used last is used next, so under light load the others age out rather than all staying open.
    readonly ConcurrentStack<(SmtpClient Client, DateTimeOffset Since)> idle = new();

    public async Task Send(EmailMessage message, Guid deliveryId, CancellationToken cancellationToken)
    {
        var mime = EmailMime.Of(message, from, deliveryId);

        await retry.ExecuteAsync(async ct =>
        {
            var client = await Connection(ct);
            try
            {
                await client.SendAsync(mime, ct);
            }
            catch
            {
                // A refused recipient, a dropped or timed-out conversation: the connection's state is not to be trusted.
                Drop(client);
                throw;
            }
            Keep(client);
        }, cancellationToken);
    }

    /// <summary>An idle connection that is still open and fresh, or a new one.</summary>
    async Task<SmtpClient> Connection(CancellationToken ct)
    {
        while (idle.TryPop(out var kept))
        {
            if (kept.Client.IsConnected && clock.GetUtcNow() - kept.Since < IdleFor)
            {
                return kept.Client;
            }
            Drop(kept.Client);
        }
        var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    void Keep(SmtpClient client)
    {
        if (idle.Count < MaxIdle)
        {
            idle.Push((client, clock.GetUtcNow()));
        }
        else
        {
            Drop(client);
        }
    }

    /// <summary>Closed without a goodbye: the server ends the session on its own, and an email it accepted stays accepted.</summary>
    static void Drop(SmtpClient client) => client.Dispose();

    public async ValueTask DisposeAsync()
    {
        while (idle.TryPop(out var kept))
        {
            try
            {
                await kept.Client.DisconnectAsync(true, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or System.Net.Sockets.SocketException or MailKit.ServiceNotConnectedException)
            {
            }
            kept.Client.Dispose();
        }
    }
}

/// <summary>
/// An email as MIME. An invite goes the way calendar clients expect (RFC 6047): a text/calendar part with its method
/// beside the HTML in multipart/alternative, and the same text attached as invite.ics for clients that show only
/// attachments.
/// </summary>
public static class EmailMime
{
    public const string InviteFileName = "invite.ics";

    /// <summary>
    /// The Message-ID of a delivery: the same on every send of it, so the one duplicate the delivery log cannot rule out (a
    /// crash after the mail server accepted the email and before the log recorded it) carries the ID of the first, and mail
    /// systems that drop repeated Message-IDs drop it.
    /// </summary>
    public static string MessageIdOf(Guid deliveryId, Sender from) => $"{deliveryId:N}@{from.Address.Split('@')[^1]}";

    public static MimeMessage Of(EmailMessage message, Sender from, Guid? deliveryId = null)
    {
        // Every email has a plain-text part beside its HTML, for text-only readers and filters that distrust HTML-only mail.
        var brand = message.Brand ?? DistrictBrand.Default;
        var text = new TextPart("plain") { Text = message.Text ?? PlainText.Of(message.Html) };
        var html = new TextPart("html") { Text = EmailLayout.Wrap(message.Html, brand) };
        MimeEntity body = new MultipartAlternative { text, html };
        if (message.Invite is { } invite)
        {
            var calendar = new TextPart("calendar") { Text = invite.Ics };
            calendar.ContentType.Charset = "utf-8";
            calendar.ContentType.Parameters.Add("method", invite.Method);
            var attachment = new MimePart("application", "ics")
            {
                Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(invite.Ics))),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = InviteFileName,
            };
            body = new Multipart("mixed") { new MultipartAlternative { text, html, calendar }, attachment };
        }
        var mime = new MimeMessage { Subject = message.Subject, Body = body };
        mime.From.Add(new MailboxAddress(from.Name, from.Address));
        mime.To.Add(new MailboxAddress(message.ToName, message.To));
        if (brand.ReplyTo is { } replyTo)
        {
            mime.ReplyTo.Add(new MailboxAddress(brand.DisplayName ?? "", replyTo));
        }
        mime.Headers.Add("X-Torace-Kind", message.Kind);
        if (deliveryId is { } id)
        {
            mime.MessageId = MessageIdOf(id, from);
        }
        return mime;
    }
}

public static class SmtpMailerSetup
{
    public static IHostApplicationBuilder AddSmtpMailer(this IHostApplicationBuilder builder)
    {
        var server = new Uri(builder.Configuration.GetConnectionString("mail")
            ?? throw new InvalidOperationException("ConnectionStrings:mail (smtp://host:port) is not configured."));
        var address = MailboxAddress.Parse(builder.Configuration["Notifications:From"] ?? "Torace <no-reply@torace.local>");
        var from = new Sender(address.Name is { Length: > 0 } name ? name : "Torace", address.Address);
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<SmtpCommandException>(e => e.StatusCode < (SmtpStatusCode)500).Handle<SmtpProtocolException>()
                    .Handle<System.Net.Sockets.SocketException>().Handle<MailKit.ServiceNotConnectedException>(),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .AddTimeout(TimeSpan.FromSeconds(30))
            .Build();
        builder.Services.AddSingleton(from);
        // Made by the container, so it is disposed with it (its kept connections say goodbye).
        builder.Services.AddSingleton<IMailer>(services => new SmtpMailer(server, from, retry, services.GetRequiredService<TimeProvider>()));
        // A mail server's 4xx (busy, try later) or a dropped conversation is retried later; a 5xx rejection is final.
        builder.Services.AddSingleton<Platform.Messaging.TransientFault>(fault =>
            fault is SmtpCommandException { StatusCode: < (SmtpStatusCode)500 } or SmtpProtocolException or MailKit.ServiceNotConnectedException);
        builder.Services.AddSingleton<Deliveries.DeliveryLog>();
        builder.Services.AddSingleton<DistrictBrands>();
        builder.Services.AddSingleton<Templates.TemplateSets>();
        return builder;
    }
}

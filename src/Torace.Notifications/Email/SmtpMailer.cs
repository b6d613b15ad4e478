using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Polly;
using Polly.Retry;

namespace Torace.Notifications.Email;

public interface IMailer
{
    Task Send(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>Sends through the SMTP server in ConnectionStrings:mail (smtp://host:port), retrying transient faults.</summary>
public sealed class SmtpMailer(Uri server, MailboxAddress from, ResiliencePipeline retry) : IMailer
{
    public async Task Send(EmailMessage message, CancellationToken cancellationToken)
    {
        var mime = new MimeMessage { Subject = message.Subject, Body = new TextPart("html") { Text = message.Html } };
        mime.From.Add(from);
        mime.To.Add(new MailboxAddress(message.ToName, message.To));
        mime.Headers.Add("X-Torace-Kind", message.Kind);

        await retry.ExecuteAsync(async ct =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, ct);
            await client.SendAsync(mime, ct);
            try
            {
                await client.DisconnectAsync(true, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or System.Net.Sockets.SocketException)
            {
                // Accepted already: a failed goodbye must not send the email again.
            }
        }, cancellationToken);
    }
}

public static class SmtpMailerSetup
{
    public static IHostApplicationBuilder AddSmtpMailer(this IHostApplicationBuilder builder)
    {
        var server = new Uri(builder.Configuration.GetConnectionString("mail")
            ?? throw new InvalidOperationException("ConnectionStrings:mail (smtp://host:port) is not configured."));
        var from = MailboxAddress.Parse(builder.Configuration["Notifications:From"] ?? "Torace <no-reply@torace.local>");
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<SmtpCommandException>(e => e.StatusCode < (SmtpStatusCode)500).Handle<SmtpProtocolException>()
                    .Handle<System.Net.Sockets.SocketException>(),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .AddTimeout(TimeSpan.FromSeconds(30))
            .Build();
        builder.Services.AddSingleton<IMailer>(new SmtpMailer(server, from, retry));
        // A mail server's 4xx (busy, try later) or a dropped conversation is retried later; a 5xx rejection is final.
        builder.Services.AddSingleton<Platform.Messaging.TransientFault>(fault =>
            fault is SmtpCommandException { StatusCode: < (SmtpStatusCode)500 } or SmtpProtocolException or MailKit.ServiceNotConnectedException);
        builder.Services.AddSingleton<Deliveries.DeliveryLog>();
        return builder;
    }
}

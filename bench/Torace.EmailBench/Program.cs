using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.GatewayBench;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;
using Torace.Notifications.Invites;
using Torace.Notifications.Links;
using Torace.Notifications.Templates;
using Torace.WebhookBench;

// The system runs Debian and npm packages as local processes, as in the gateway bench.
[assembly: global::System.Runtime.Versioning.SupportedOSPlatform("linux")]

// bench/run --only emails: match emails (the mentor's, the mentee's, and the first session's invite to each) rendered and
// handed to the system's mail sink (maildev), against handing the same sink a ready-made message (the baseline: what the
// sink and one SMTP conversation per email allow here). --smoke: tiny.
var smoke = args.Contains("--smoke");
var matches = smoke ? 20 : 600;
const int Parallel = 8;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;
var started = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
void Progress(string text) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {text}");

await using var system = new RunningSystem();
Progress($"starting the system through the AppHost… ({(smoke ? "smoke" : "full")} size: {matches} matches)");
await system.Start(ct);
var startup = clock.Elapsed;
var mail = new Uri(await system.ConnectionString("mail", ct));
Progress($"system up in {startup.TotalSeconds:0} s; mail sink at {mail}");
await using var host = await NotificationsHost.Start(await system.ConnectionString("postgres", ct), await system.ConnectionString("rabbitmq", ct),
    system.RabbitMqManagement, ct, mail.ToString());
var mailer = host.Services.GetRequiredService<IMailer>();
var deliveries = host.Services.GetRequiredService<DeliveryLog>();
var sender = host.Services.GetRequiredService<Sender>();
// Every match email carries a signed decline link, as in the system.
var links = host.Services.GetRequiredService<ActionLinks>().For("demo-a");

var now = DateTimeOffset.UtcNow;
IReadOnlyList<EmailMessage> Emails(int i)
{
    var match = new MatchProposed("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Lesson planning pairs",
        new Participant(Guid.NewGuid(), $"Maria Lopez {i}", $"maria.{i}@lincoln.example.org", "Lincoln High", "America/Chicago"),
        [new Participant(Guid.NewGuid(), $"Sam Okafor {i}", $"sam.{i}@roosevelt.example.org", "Roosevelt Middle", "America/Chicago")],
        [new SessionPlan(1, "virtual", now.AddDays(14)), new SessionPlan(2, "virtual", now.AddDays(28))], true, true, [],
        new MatchMessage("Welcome! Meet within two weeks & plan a lesson <together>.", "https://district.example.org/guides/two-session"), 0.9, [], now);
    var invite = EmailComposer.Invited(match)[0];
    return [.. EmailComposer.ForMatch(match, links, TemplateSet.Default), .. InviteEmails.ForDate(invite, match.ProgramName, invite.Attendees, null, null, sender, now, TemplateSet.Default)];
}

async Task<(int Emails, TimeSpan Took)> Round(string name, int count, Func<int, Task<int>> one)
{
    Progress($"{name}…");
    var next = -1;
    var sent = 0;
    var timer = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
    {
        for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
        {
            Interlocked.Add(ref sent, await one(i));
        }
    }));
    timer.Stop();
    Progress($"{name}: {sent} emails in {timer.Elapsed.TotalSeconds:0.0} s");
    return (sent, timer.Elapsed);
}

// Warm-up: connections, JIT, the delivery log's tables.
await Round("warm-up", 10, async i =>
{
    foreach (var email in Emails(-i - 1))
    {
        await deliveries.SendOnce("demo-a", Guid.NewGuid(), Guid.NewGuid(), email, lastTry: false, ct);
    }
    return 0;
});

// The baselines: a ready-made message handed to the sink, over a connection of its own each (connect, greeting, send,
// goodbye) and over one connection per sender kept open (a transaction per email: what the sink allows at most).
var ready = EmailMime.Of(Emails(0)[0], sender);
var perConnection = await Round("baseline: a ready-made message, a connection each", matches * 4, async _ =>
{
    using var client = new SmtpClient();
    await client.ConnectAsync(mail.Host, mail.Port, SecureSocketOptions.None, ct);
    await client.SendAsync(ready, ct);
    await client.DisconnectAsync(true, ct);
    return 1;
});
var connections = new System.Collections.Concurrent.ConcurrentBag<SmtpClient>();
var baseline = await Round("baseline: a ready-made message, connections kept open", matches * 4, async _ =>
{
    var client = connections.TryTake(out var open) ? open : new SmtpClient();
    if (!client.IsConnected)
    {
        await client.ConnectAsync(mail.Host, mail.Port, SecureSocketOptions.None, ct);
    }
    await client.SendAsync(ready, ct);
    connections.Add(client);
    return 1;
});
foreach (var client in connections)
{
    await client.DisconnectAsync(true, ct);
    client.Dispose();
}

var renderTimer = Stopwatch.StartNew();
var rendered = 0;
for (var i = 0; i < matches; i++)
{
    foreach (var email in Emails(i))
    {
        using var mime = EmailMime.Of(email, sender);
        using var sink = new MemoryStream();
        await mime.WriteToAsync(sink, ct);
        rendered++;
    }
}
renderTimer.Stop();
Progress($"render only: {rendered} emails in {renderTimer.Elapsed.TotalSeconds:0.0} s");

var mailed = await Round("rendered and handed to the sink (the service's mailer)", matches, async i =>
{
    var emails = Emails(i);
    foreach (var email in emails)
    {
        await mailer.Send(email, Guid.NewGuid(), ct);
    }
    return emails.Count;
});

var logged = await Round("through the delivery log (lock, check, send, record in PostgreSQL)", matches, async i =>
{
    var emails = Emails(i);
    var messageId = Guid.NewGuid();
    foreach (var email in emails)
    {
        await deliveries.SendOnce("demo-a", Guid.NewGuid(), messageId, email, lastTry: false, ct);
    }
    return emails.Count;
});

static string N(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
double PerSecond((int Emails, TimeSpan Took) r) => r.Emails / r.Took.TotalSeconds;
var text = new StringBuilder();
text.AppendLine(CultureInfo.InvariantCulture, $"# Email bench ({started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, system up in {N(startup.TotalSeconds)} s, whole run {N(clock.Elapsed.TotalSeconds)} s{(smoke ? ", smoke size: not a measurement" : "")})");
text.AppendLine();
text.AppendLine("| round | emails | took | emails/s | against the baseline |");
text.AppendLine("|---|---:|---:|---:|---:|");
text.AppendLine(CultureInfo.InvariantCulture, $"| baseline: a ready-made message handed to maildev over connections kept open, {Parallel} at once | {N(baseline.Emails)} | {N(baseline.Took.TotalSeconds, "0.0")} s | {N(PerSecond(baseline))} | 1.00× |");
text.AppendLine(CultureInfo.InvariantCulture, $"| the same message over a connection of its own each (connect, greeting, send, goodbye), {Parallel} at once | {N(perConnection.Emails)} | {N(perConnection.Took.TotalSeconds, "0.0")} s | {N(PerSecond(perConnection))} | {N(PerSecond(perConnection) / PerSecond(baseline), "0.00")}× |");
text.AppendLine(CultureInfo.InvariantCulture, $"| render only (compose, MIME, invite), one thread | {N(rendered)} | {N(renderTimer.Elapsed.TotalSeconds, "0.0")} s | {N(rendered / renderTimer.Elapsed.TotalSeconds)} | — |");
text.AppendLine(CultureInfo.InvariantCulture, $"| rendered and handed to maildev (the service's mailer), {Parallel} matches at once | {N(mailed.Emails)} | {N(mailed.Took.TotalSeconds, "0.0")} s | {N(PerSecond(mailed))} | {N(PerSecond(mailed) / PerSecond(baseline), "0.00")}× |");
text.AppendLine(CultureInfo.InvariantCulture, $"| the same through the delivery log (advisory lock, check, send, record), {Parallel} matches at once | {N(logged.Emails)} | {N(logged.Took.TotalSeconds, "0.0")} s | {N(PerSecond(logged))} | {N(PerSecond(logged) / PerSecond(baseline), "0.00")}× |");
text.AppendLine();
text.AppendLine(CultureInfo.InvariantCulture, $"Target: ≥ 200 emails rendered and handed to SMTP per second. Each match is four emails: the mentor's and the mentee's match email (HTML, the coordinator's message escaped) and the first session's invite to each (iCalendar, text/calendar and invite.ics). The sink is the system's maildev, a single Node.js process on this {Environment.ProcessorCount}-core machine, so the baseline is its ceiling; the service's mailer keeps up to {SmtpMailer.MaxIdle} connections open between emails.");
Console.WriteLine(text);
var results = Path.Combine(Report.Repository, "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, smoke ? "emails-smoke.md" : "emails.md"), text.ToString(), ct);
return 0;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Torace.Notifications;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Email;
using Torace.Platform.Messaging;
using Torace.Platform.Storage;

// Torace.DeliveryCrashHarness <postgres> <smtp://host:port> <run> <from> <count>
// Sends emails number <from> to <from + count - 1> of run <run>, each through DeliveryLog.SendOnce as the Notifications
// service does for one recipient of one message (four recipients to a message), and prints "ready" once started (and warmed up with an email of its
// own, "Crash <run> warm-up") and "sent N" once email N's SendOnce
// has returned. A restart from the first email of the message in flight is the broker redelivering that message: the
// delivery log must skip the recipients it already sent to.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: Torace.DeliveryCrashHarness <postgres> <smtp://host:port> <run> <from> <count>");
    return 2;
}
var (run, from, count) = (args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));

// The emails of one message; DeliveryCrashTests redelivers from a message's first.
const int Recipients = 4;

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Configuration["ConnectionStrings:postgres"] = args[0];
builder.Configuration["ConnectionStrings:mail"] = args[1];
builder.AddToraceStore(NotificationsService.Name, NotificationsService.ConfigureStore);
builder.AddSmtpMailer();
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.TryAddSingleton<TransientFaults>();
using var host = builder.Build();
await host.StartAsync();
var deliveries = host.Services.GetRequiredService<DeliveryLog>();
var program = NameBasedId.From($"crash|{run}");
// One email of this process's own first, so the kills land among sends at full speed, not in the first send's warm-up.
await deliveries.SendOnce("demo-crash", program, Guid.NewGuid(),
    new EmailMessage($"warm.{run}@crash.example.org", "Warm-up", null, "warm-up", $"Crash {run} warm-up", "<p>Warm-up.</p>"), lastTry: false, CancellationToken.None);
Console.WriteLine("ready");

for (var i = from; i < from + count; i++)
{
    var email = new EmailMessage($"crash.{i}.{run}@crash.example.org", $"Crash {i}", null, EmailComposer.MatchKind, $"Crash {run} #{i}",
        $"<p>Email {i} of crash run {run}.</p>");
    // Four recipients to a message, as a match is (mentor, mentee, and each one's invite): a redelivery starts at its first.
    await deliveries.SendOnce("demo-crash", program, NameBasedId.From($"crash|{run}|{i / Recipients}"), email, lastTry: false, CancellationToken.None);
    Console.WriteLine($"sent {i}");
}
Console.WriteLine("done");
await host.StopAsync();
return 0;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Torace.GatewayBench;
using Torace.WebhookBench;

// The system runs Debian packages as local processes, as in the gateway bench.
[assembly: global::System.Runtime.Versioning.SupportedOSPlatform("linux")]

// bench/run --only webhooks: the webhook dispatcher of the Notifications service (hosted in this process on the system's
// PostgreSQL) sending to receivers in this process, first with every receiver healthy, then with 1 % of them failing (each
// failing one holds every request past the 10 s attempt timeout). --smoke: the same rounds, tiny.
var sizes = args.Contains("--smoke") ? WebhookSizes.Smoke : WebhookSizes.Full;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;
var started = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
void Progress(string text) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {text}");

await using var system = new RunningSystem();
Progress($"starting the system through the AppHost… ({sizes.Name} sizes)");
await system.Start(ct);
var startup = clock.Elapsed;
Progress($"system up in {startup.TotalSeconds:0} s");

await using var receivers = await Receivers.Start(ct);
await using var host = await NotificationsHost.Start(await system.ConnectionString("postgres", ct), await system.ConnectionString("rabbitmq", ct), system.RabbitMqManagement, ct);
var rounds = new DeliveryRounds(host, receivers, Progress);
await rounds.Run("warm-up", sizes with { Backlog = Math.Min(500, sizes.Backlog), Steady = TimeSpan.FromSeconds(3) }, failing: 0, ct);
var healthy = await rounds.Run("none failing", sizes, failing: 0, ct);
var failing = await rounds.Run("1 % failing", sizes, failing: Math.Max(1, sizes.Endpoints / 100), ct);

static string N(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
static string P(double share) => $"{N(share * 100)} %";
var text = new StringBuilder();
text.AppendLine(CultureInfo.InvariantCulture, $"# Webhook delivery bench ({started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, system up in {N(startup.TotalSeconds)} s, whole run {N(clock.Elapsed.TotalSeconds)} s{(sizes == WebhookSizes.Full ? "" : $", {sizes.Name} sizes: not a measurement")})");
text.AppendLine();
text.AppendLine("| round | endpoints (districts) | failing | backlog to healthy receivers | arrived | drained in | delivered/s | steady feed | healthy p50 | healthy p99 | max | requests | CPU: machine | this system | other work |");
text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in new[] { healthy, failing })
{
    text.AppendLine(CultureInfo.InvariantCulture,
        $"| {r.Name} | {N(r.Endpoints)} ({sizes.Districts}) | {N(r.Failing)} | {N(r.BacklogHealthy)} | {N(r.BacklogArrived)} | {N(r.Drain.TotalSeconds, "0.0")} s | {N(r.PerSecond)} | {N(sizes.SteadyPerSecond)}/s × {N(sizes.Steady.TotalSeconds)} s ({N(r.SteadyHealthy)} healthy) | {N(r.Percentile(0.5), "0.000")} s | {N(r.Percentile(0.99), "0.000")} s | {N(r.Percentile(1), "0.000")} s | {N(r.Requests)} | {P(r.Cpu.Busy)} | {P(r.Cpu.System)} | {P(r.Cpu.Other)} |");
}
text.AppendLine();
text.AppendLine(CultureInfo.InvariantCulture,
    $"With 1 % failing: {N(failing.PerSecond / healthy.PerSecond * 100)} % of the healthy round's deliveries per second; healthy receivers' p99 delay {N(failing.Percentile(0.99), "0.000")} s against {N(healthy.Percentile(0.99), "0.000")} s with none failing ({N(failing.Percentile(0.99) / healthy.Percentile(0.99), "0.00")}×).");
text.AppendLine();
text.AppendLine("Each round registers its endpoints as the service's own stream events, queues deliveries straight into the service's webhook table (one row per event and endpoint, as the fan-out consumer writes them), and lets the service's dispatcher send them: up to 64 attempts in flight, 4 per endpoint, 16 per district, one per failing endpoint (one whose last attempt failed) in a pool of 16 for all of them, an attempt timing out after 10 s. The failing endpoints are spread over the districts. \"Backlog\" is queued at once, timed from the queueing to the last arrival at a healthy receiver; the steady feed queues a tenth of its rate every 100 ms, and a delay is from a delivery's queueing to its arrival. A failing receiver holds each request 15 s, so each of its attempts holds a slot for the whole timeout and is retried (5 s, 20 s, …).");
Console.WriteLine(text);
var results = Path.Combine(Report.Repository, "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, sizes == WebhookSizes.Full ? "webhooks.md" : $"webhooks-{sizes.Name}.md"), text.ToString(), ct);
return 0;

using System.Diagnostics;
using Torace.GatewayBench;
using Torace.SweepBench;

// The system runs Debian packages as local processes, as in the gateway bench.
[assembly: global::System.Runtime.Versioning.SupportedOSPlatform("linux")]

// bench/run --only sweep: the Scheduling service's due-table sweep against one Hangfire delayed job per touchpoint, both
// ending at the broker, and the lateness of 100,000 touchpoints due at once while the service sweeps on its own 15 s
// schedule. PostgreSQL and RabbitMQ are the whole system's, started through the AppHost; the Scheduling service under
// measurement runs in this process on a database and virtual host of its own. --smoke: the same rounds, tiny.
var sizes = args.Contains("--smoke") ? SweepSizes.Smoke : SweepSizes.Full;

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
var infrastructure = new SharedInfrastructure(await system.ConnectionString("postgres", ct), await system.ConnectionString("rabbitmq", ct), system.RabbitMqManagement);
Progress($"system up in {startup.TotalSeconds:0} s");

SweepRun one, two;
HangfireRun hangfire;
await using (var rates = await SchedulingHost.Start(infrastructure, "rates", recurringSweep: false, ct))
{
    var sweep = new SweepRate(rates, Progress, sizes.Quiet);
    await sweep.Run("warm-up", sizes.WarmUpTouchpoints, sweepers: 1, ct);
    one = await sweep.Run("one sweeper", sizes.SweepTouchpoints, sweepers: 1, ct);
    two = await sweep.Run("two sweepers", sizes.SweepTouchpoints, sweepers: 2, ct);

    await using var baseline = await HangfireBaseline.Start(rates, Progress, sizes.Quiet, ct);
    await baseline.Run(sizes.HangfireWarmUpJobs, ct);
    hangfire = await baseline.Run(sizes.HangfireJobs, ct);
}

LatenessRun lateness;
await using (var deployed = await SchedulingHost.Start(infrastructure, "lateness", recurringSweep: true, ct))
{
    // The slower of the two rate rounds' set-ups plans the due moment.
    lateness = await new Lateness(deployed, Progress, sizes.Quiet).Run(sizes.LatenessEngagements, sizes.LatenessWarmUpEngagements,
        Math.Min(one.SetupPerSecond, two.SetupPerSecond), ct);
}

var report = SweepReport.Write(started, startup, clock.Elapsed, sizes, one, two, hangfire, lateness);
Console.WriteLine(report);
var results = Path.Combine(Report.Repository, "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, sizes == SweepSizes.Full ? "sweep.md" : $"sweep-{sizes.Name}.md"), report, ct);
return 0;

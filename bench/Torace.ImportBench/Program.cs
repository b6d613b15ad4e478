using System.Diagnostics;
using Torace.GatewayBench;
using Torace.ImportBench;

// The system runs Debian packages as local processes, as in the gateway bench.
[assembly: global::System.Runtime.Versioning.SupportedOSPlatform("linux")]

// bench/run --only import: a district's people enrolled by one CSV import against single calls 16 at a time, end to end
// through the gateway until Matching holds every candidate; Marten appends against raw Npgsql inserts of the same rows;
// GET of a program as its enrolments grow from 100 to 10,000. One system, started through the AppHost.
const int People = 10_000;
const int SinglePeople = 5_000;
const int InFlight = 16;
const int ReadCalls = 300;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;
var started = DateTimeOffset.UtcNow;
var clock = Stopwatch.StartNew();
void Progress(string text) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {text}");

await using var system = new RunningSystem();
Progress("starting the system through the AppHost…");
await system.Start(ct);
var startup = clock.Elapsed;
using var http = system.District(system.Districts[0].ApiKey);
http.Timeout = TimeSpan.FromMinutes(2);
var enrol = new ImportThroughput(http);
Progress($"system up in {startup.TotalSeconds:0} s; gateway {system.Gateway}");

Progress("warm-up: an import of 1,000 and 500 single enrolments");
await enrol.Import("warm-up", await PublicApi.CreateOpenProgram(http, "Warm-up import", ct), "warm", 1_000, ct);
await enrol.Singles("warm-up", await PublicApi.CreateOpenProgram(http, "Warm-up singles", ct), "warm-single", 500, InFlight, ct);

Progress($"import of {People:N0} people (CSV, one request)");
var bigProgram = await PublicApi.CreateOpenProgram(http, "District import", ct);
var import = await enrol.Import($"CSV import, {People:N0} rows", bigProgram, "big", People, ct);
Progress($"  answered {import.Answered.TotalSeconds:0.0} s, written {import.Written.TotalSeconds:0.0} s, Matching held {import.HeldCount:N0} at {import.Held?.TotalSeconds:0.0} s");

Progress($"{SinglePeople:N0} single enrolments, {InFlight} in flight");
var singles = await enrol.Singles($"single calls, {InFlight} in flight", await PublicApi.CreateOpenProgram(http, "Single enrolments", ct), "single", SinglePeople, InFlight, ct);
Progress($"  answered {singles.Answered.TotalSeconds:0.0} s, Matching held {singles.HeldCount:N0} at {singles.Held?.TotalSeconds:0.0} s");

Progress("GET of a program with 100, 1,000 and 10,000 enrolments");
var reads = new List<ReadLatency>();
foreach (var size in new[] { 100, 1_000 })
{
    var program = await PublicApi.CreateOpenProgram(http, $"Reads at {size}", ct);
    // Measured once Matching has taken these in, so the reads do not share the cores with that work.
    await enrol.Import($"reads {size}", program, $"reads{size}", size, ct);
    reads.Add(await ProgramReads.Measure(http, program, size, ReadCalls, ct));
}
reads.Add(await ProgramReads.Measure(http, bigProgram, People, ReadCalls, ct));

Progress("Marten appends against raw Npgsql inserts");
var appends = await new AppendBench(await system.ConnectionString("postgres", ct)).Run(ct);

var report = ImportReport.Write(started, startup, clock.Elapsed, import, singles, reads, appends);
Console.WriteLine(report);
var results = Path.Combine(Report.Repository, "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, "import.md"), report, ct);
return 0;

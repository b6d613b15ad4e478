using System.Diagnostics;
using Torace.GatewayBench;

// bench/run --only rate-limits: district A syncs 10,000 people through single calls 16 at a time while district B's
// latency is measured against B alone, on one system started through the AppHost with the gateway's default limits.
// Then A again with fewer calls in flight, to tell the gateway's limiter from the machine running out of CPU.
const int People = 10_000;
const int InFlight = 16;
// Smaller than the sync: enough to tell whether B follows A's concurrency or A's rate (when writes are paced).
(int People, int InFlight)[] throttled = [(1_500, 4), (750, 1)];
var idleTime = TimeSpan.FromSeconds(60);

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
var (nameA, keyA) = system.Districts[0];
var (nameB, keyB) = system.Districts[1];
using var httpA = system.District(keyA);
using var httpB = system.District(keyB);
var sync = new DistrictSync(httpA, clock);
var neighbour = new NeighbourWorkload(httpB, clock);
Progress($"system up in {startup.TotalSeconds:0} s; gateway {system.Gateway}; A = {nameA}, B = {nameB}");

// B's workload alone, on a program of its own so every phase starts from the same empty program.
async Task<Phase> Alone(string name, TimeSpan length)
{
    Progress($"B alone for {length.TotalSeconds:0} s ({name})");
    var program = await PublicApi.CreateOpenProgram(httpB, $"Neighbour, {name}", ct);
    using var stop = new CancellationTokenSource(length);
    var from = clock.Elapsed;
    var before = MachineLoad.Read();
    var samples = await neighbour.Run(program, name, stop.Token);
    var after = MachineLoad.Read();
    return new Phase(name, samples.Within(from, clock.Elapsed), CpuUse.Between(before, after), null);
}

// B's workload while A enrols; B's calls count only while A's are in flight.
async Task<Phase> WhileSyncing(string name, string prefix, int people, int inFlight)
{
    Progress($"A enrols {people:N0} people {inFlight} at a time while B runs its mix ({name})");
    var programA = await PublicApi.CreateOpenProgram(httpA, $"HR sync, {name}", ct);
    var programB = await PublicApi.CreateOpenProgram(httpB, $"Neighbour, {name}", ct);
    using var stop = new CancellationTokenSource();
    var load = neighbour.Run(programB, name, stop.Token);
    await Task.Delay(TimeSpan.FromSeconds(2), ct);
    var from = clock.Elapsed;
    var before = MachineLoad.Read();
    var answers = await sync.Run(programA, prefix, people, inFlight, ct);
    var to = clock.Elapsed;
    var after = MachineLoad.Read();
    await stop.CancelAsync();
    var samples = await load;
    var phase = new Phase(name, samples.Within(from, to), CpuUse.Between(before, after), new SyncResult(people, inFlight, to - from, answers));
    await Settle();
    return phase;
}

// What A's enrolments set off (outbox forwarding, the other services' consumers) runs on after its last answer; the
// next phase starts once the system is down to half a core and the rest of the machine (another build, say) to less
// than a sixth of one, or after five minutes (the report then says the machine was shared).
async Task Settle()
{
    var from = clock.Elapsed;
    for (var before = MachineLoad.Read(); clock.Elapsed - from < TimeSpan.FromMinutes(5);)
    {
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var now = MachineLoad.Read();
        if (now.SystemSince(before) < 0.25 && now.OtherWorkSince(before) < 0.08)
        {
            break;
        }
        before = now;
    }
    Progress($"settled {(clock.Elapsed - from).TotalSeconds:0} s after the last enrolment's answer");
}

await WhileSyncing("warm-up", "warm-", 500, InFlight);
var idleBefore = await Alone("B alone, before", idleTime);
var load = await WhileSyncing($"A syncs, {InFlight} in flight", "a-", People, InFlight);
var lighter = new List<Phase>();
foreach (var (people, inFlight) in throttled)
{
    lighter.Add(await WhileSyncing($"A, {inFlight} in flight", $"a{inFlight}-", people, inFlight));
}
var idleAfter = await Alone("B alone, after", idleTime);

var report = new Report(started, startup, clock.Elapsed, idleBefore, idleAfter, load, lighter);
Console.WriteLine(report.Text);
var results = Path.Combine(Report.Repository, "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, "gateway.md"), report.Text, ct);
return 0;

using System.Text.Json;
using Torace.Bench;
using Torace.Bench.Scenarios;
using Torace.Matching.Engine;
using Torace.Matching.Engine.Baselines;

// bench/run [--sizes small|all]   runs everything and writes bench/results/latest.md
// bench/run one <engine> <scenario> <mentees> <mentors> <seed>   one measurement (what the parent starts per engine)
if (args is ["one", var oneEngine, var oneScenario, var oneMentees, var oneMentors, var oneSeed])
{
    Console.WriteLine(JsonSerializer.Serialize(Measurement.Run(oneEngine, oneScenario, int.Parse(oneMentees), int.Parse(oneMentors), int.Parse(oneSeed))));
    return 0;
}

const int Seed = 2026;
var small = args.SkipWhile(a => a != "--sizes").Skip(1).FirstOrDefault() == "small";
(int Mentees, int Mentors)[] sizes = small ? [(5_000, 1_000)] : [(5_000, 1_000), (50_000, 10_000), (150_000, 30_000)];
var report = new Report();
var started = DateTimeOffset.UtcNow;
report.Line($"## Matcher benchmark — {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, seed {Seed}");
report.Line();
report.Line("Each row is one engine in a process of its own on the same generated district. Ratios are against the greedy baseline measured in this run; total cost is the engine's objective (pair costs plus the load-spreading penalty), recomputed by the validator.");
report.Line();

foreach (var (mentees, mentors) in sizes)
{
    var rows = new List<Measurement>();
    foreach (var engine in Engines.All.Keys)
    {
        rows.Add(await Measurement.InChild(engine, HardDistricts.Standard, mentees, mentors, Seed, TimeSpan.FromMinutes(15)));
    }
    report.Size($"{mentees:N0} mentees × {mentors:N0} mentors", rows);
    if (mentees == 50_000)
    {
        report.Target(rows);
    }
}

// The target size again, bent where matchers struggle; ours against greedy (Gale–Shapley is not the bar here).
if (!small)
{
    foreach (var (scenario, shape) in HardDistricts.All)
    {
        var rows = new List<Measurement>();
        foreach (var engine in new[] { MatchingEngine.Name, GreedyMatcher.Name })
        {
            rows.Add(await Measurement.InChild(engine, scenario, 50_000, 10_000, Seed, TimeSpan.FromMinutes(15)));
        }
        report.Size($"Hard district \"{scenario}\", 50,000 × 10,000: {shape.Description}", rows);
    }
}

// A speed-mentoring evening solved whole, against the same engine solving it one round at a time.
{
    var rows = new List<Measurement>();
    foreach (var engine in new[] { MatchingEngine.Name, Engines.RoundByRound })
    {
        rows.Add(await Measurement.InChild(engine, HardDistricts.SpeedEvent, 3_000, 1_000, Seed, TimeSpan.FromMinutes(15)));
    }
    report.Size($"Speed-mentoring event, 3,000 mentees × 1,000 mentors, {HardDistricts.SpeedRounds} rounds: the event solved whole against one round at a time "
        + "(matched counts meetings over all rounds)", rows, Engines.RoundByRound);
    report.Line("Mentees who meet nobody all evening: " + string.Join("; ", rows.Select(r => $"{r.Engine} {r.MenteesWithoutMeeting:N0}")) + ".");
    report.Line();
}

// "Fit only" is matching as most tools do it: the best fit now, blind to who carried whom before.
report.SchoolYear([
    SchoolYear.Simulate(MatchingEngine.Name, MatchingEngine.Match, Seed),
    SchoolYear.Simulate(GreedyMatcher.Name, GreedyMatcher.Match, Seed),
    SchoolYear.Simulate("greedy, fit only", p => GreedyMatcher.Match(p with { Weights = p.Weights with { LoadSpreading = 0 } }), Seed),
]);
report.Line($"Whole run: {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s.");

var results = Path.Combine(FindRepository(), "bench", "results");
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, "latest.md"), report.Text);
return 0;

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Torace.sln")))
        {
            return dir.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}

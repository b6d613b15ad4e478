using System.Globalization;

namespace Torace.GatewayBench;

/// <summary>
/// How busy the machine was between two readings of /proc: all cores together, the part this run's system used (the
/// bench and everything Aspire's DCP started for it: PostgreSQL, RabbitMQ, maildev, the services, the gateway) by
/// process name, and so what everything else on the machine took.
/// </summary>
public sealed record MachineLoad(long BusyTicks, long ProcessTicks, long StealTicks, long TotalTicks, IReadOnlyDictionary<string, long> SystemTicksByProcess,
    IReadOnlyDictionary<string, long> OtherTicksByProcess)
{
    public static MachineLoad Read()
    {
        // cpu  user nice system idle iowait irq softirq steal …
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var processes = new Dictionary<int, (int Parent, string Name, long Ticks, bool Root)>();
        var monitor = $"--monitor\0{Environment.ProcessId}\0";
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                var pid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                // The kernel cuts names at 15 characters (Torace.Scheduli); the executable's file name is whole.
                var exe = Path.GetFileName(new FileInfo(Path.Combine(dir, "exe")).LinkTarget);
                // After the name: state, parent, …, then utime, stime, cutime, cstime from the 12th: a process's own time
                // and its exited children's (a PostgreSQL backend that ends moves its time to the server process).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
                // DCP detaches from the bench but is told to watch it (--monitor <pid>); everything it starts is below it.
                var root = pid == Environment.ProcessId || (name == "dcp" && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(monitor, StringComparison.Ordinal));
                processes[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), string.IsNullOrEmpty(exe) ? name : exe, ticks, root);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read.
            }
        }
        bool InSystem(int pid)
        {
            for (var hops = 0; processes.TryGetValue(pid, out var p) && hops < 64; pid = p.Parent, hops++)
            {
                if (p.Root)
                {
                    return true;
                }
            }
            return false;
        }
        var system = processes.ToLookup(p => InSystem(p.Key));
        Dictionary<string, long> ByName(IEnumerable<KeyValuePair<int, (int Parent, string Name, long Ticks, bool Root)>> some) =>
            some.GroupBy(p => p.Value.Name).ToDictionary(g => g.Key, g => g.Sum(p => p.Value.Ticks));
        return new MachineLoad(cpu.Sum() - cpu[3] - cpu[4], cpu[0] + cpu[1] + cpu[2], cpu[7], cpu.Sum(), ByName(system[true]), ByName(system[false]));
    }

    long Span(MachineLoad before) => Math.Max(1, TotalTicks - before.TotalTicks);

    /// <summary>Share of all cores the hypervisor gave to other machines since <paramref name="before"/>.</summary>
    public double StealSince(MachineLoad before) => (double)(StealTicks - before.StealTicks) / Span(before);

    /// <summary>Share of all cores busy since <paramref name="before"/>, 0–1.</summary>
    public double BusySince(MachineLoad before) => (double)(BusyTicks - before.BusyTicks) / Span(before);

    /// <summary>
    /// Share of all cores that processes outside this run's system used since <paramref name="before"/> (user and
    /// kernel time on their behalf; interrupts, which the system's own network traffic causes, are left out).
    /// </summary>
    public double OtherWorkSince(MachineLoad before) =>
        Math.Max(0, (double)(ProcessTicks - before.ProcessTicks) / Span(before) - SystemSince(before));

    /// <summary>Share of all cores this run's system used since <paramref name="before"/>, 0–1.</summary>
    public double SystemSince(MachineLoad before) => Math.Max(0, TopSince(before, int.MaxValue).Sum(p => p.Share));

    /// <summary>The system's processes that used most CPU since <paramref name="before"/>, as shares of all cores.</summary>
    public IEnumerable<(string Process, double Share)> TopSince(MachineLoad before, int count) =>
        Top(SystemTicksByProcess, before.SystemTicksByProcess, before, count);

    /// <summary>
    /// The other processes on the machine that used most CPU since <paramref name="before"/> (those that ended in
    /// between are missing: their time shows only in <see cref="BusySince"/>).
    /// </summary>
    public IEnumerable<(string Process, double Share)> OthersSince(MachineLoad before, int count) =>
        Top(OtherTicksByProcess, before.OtherTicksByProcess, before, count);

    IEnumerable<(string Process, double Share)> Top(IReadOnlyDictionary<string, long> now, IReadOnlyDictionary<string, long> then, MachineLoad before, int count) => now
        .Select(p => (p.Key, Share: (double)(p.Value - then.GetValueOrDefault(p.Key)) / Span(before)))
        .Where(p => p.Share > 0)
        .OrderByDescending(p => p.Share)
        .Take(count);
}

/// <summary>What the machine's cores did between two readings, as shares of all cores (0–1).</summary>
public sealed record CpuUse(double Busy, double System, double Other, double Steal,
    IReadOnlyList<(string Process, double Share)> SystemProcesses, IReadOnlyList<(string Process, double Share)> OtherProcesses)
{
    public static CpuUse Between(MachineLoad before, MachineLoad after) => new(after.BusySince(before), after.SystemSince(before),
        after.OtherWorkSince(before), after.StealSince(before), [.. after.TopSince(before, 8)], [.. after.OthersSince(before, 3)]);

    /// <summary>The mean of two phases' use (the processes are not carried over).</summary>
    public static CpuUse Mean(CpuUse a, CpuUse b) =>
        new((a.Busy + b.Busy) / 2, (a.System + b.System) / 2, (a.Other + b.Other) / 2, (a.Steal + b.Steal) / 2, [], []);
}

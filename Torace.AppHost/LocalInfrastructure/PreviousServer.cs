using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>
/// A server started right after Ctrl+C can find the previous one still shutting down on the same data folder
/// (PostgreSQL then refuses with "lock file postmaster.pid already exists"). Before a local server starts, wait
/// (bounded) while the process named in its pid file is alive; a pid file left by a dead process is fine.
/// </summary>
public static class PreviousServer
{
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Before <paramref name="builder"/>'s resource starts, wait for the process in <paramref name="pidFile"/> (its first
    /// line) to end, if it is still a <paramref name="program"/> (a recycled pid of something else is no predecessor).
    /// </summary>
    public static IResourceBuilder<T> WaitsForPreviousServer<T>(this IResourceBuilder<T> builder, string pidFile, string program) where T : IResource =>
        builder.OnBeforeResourceStarted(async (resource, e, ct) =>
        {
            bool IsAlive(int pid) => IsRunning(pid, program);
            if (PidIn(pidFile) is not { } pid || !IsAlive(pid))
            {
                return;
            }
            var logs = new[]
            {
                e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource),
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PreviousServer).FullName!),
            };
            foreach (var log in logs)
            {
                log.LogWarning("{Resource}: the previous server (pid {Pid}) still holds {PidFile}; waiting up to {Seconds} s for it to end",
                    resource.Name, pid, pidFile, LongestWait.TotalSeconds);
            }

            var started = TimeProvider.System.GetTimestamp();
            while (IsAlive(pid))
            {
                if (TimeProvider.System.GetElapsedTime(started) > LongestWait)
                {
                    var reason = $"{resource.Name}: the previous server (pid {pid}) still holds {pidFile} after {LongestWait.TotalSeconds} s. "
                        + $"Stop it (kill {pid}) and start the AppHost again.";
                    foreach (var log in logs)
                    {
                        log.LogCritical("{Reason} The AppHost stops now (exit code 1).", reason);
                    }
                    // Nothing that needs this server could start: stop rather than leave every service waiting.
                    e.Services.GetRequiredService<StartupFailure>().Happened = true;
                    e.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
                    throw new InvalidOperationException(reason);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
            foreach (var log in logs)
            {
                log.LogInformation("{Resource}: the previous server (pid {Pid}) ended after {Seconds:0.0} s; starting",
                    resource.Name, pid, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
            }
        });

    static int? PidIn(string pidFile)
    {
        try
        {
            var first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Alive and not a zombie, and its command name starts with <paramref name="program"/>.</summary>
    static bool IsRunning(int pid, string program)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state …"
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            return open >= 0 && close > open
                && stat.AsSpan(open + 1, close - open - 1).StartsWith(program, StringComparison.Ordinal)
                && stat.AsSpan(close + 1).TrimStart() is [not 'Z' and not 'X', ..];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}

using Hangfire;
using Npgsql;

namespace Torace.Scheduling.Touchpoints;

/// <summary>
/// Starts the sweep at the next alarm's time instead of up to 15 s after it: reads the earliest unclaimed alarm still
/// ahead (one query through the due_at index), waits until then (at most 15 s, so a new earlier alarm waits no longer
/// than the recurring sweep would), and triggers the recurring sweep job. Alarms already due are the sweeps' work, not
/// this one's. Where the recurring job is removed (an operator pausing sweeps), triggering it does nothing.
/// </summary>
public sealed class NextAlarm(NpgsqlDataSource database, IRecurringJobManager jobs, TimeProvider clock, ILogger<NextAlarm> log) : BackgroundService
{
    static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);
    static readonly string Next =
        $"select min(due_at) from {SchedulingService.Name}.{DueTable.TableName} where claimed_at is null and due_at > $1 and due_at <= $2";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            DateTimeOffset? next = null;
            try
            {
                await using var query = database.CreateCommand(Next);
                query.Parameters.AddWithValue(now);
                query.Parameters.AddWithValue(now + Longest);
                next = await query.ExecuteScalarAsync(stoppingToken) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                log.LogDebug(e, "The next alarm could not be read; the recurring sweep still runs");
            }
            await Task.Delay((next ?? now + Longest) - now, clock, stoppingToken);
            if (next is null)
            {
                continue;
            }
            try
            {
                // Hangfire's trigger waits for the recurring job's lock and cannot be cancelled: a stop does not wait for it.
                await Task.Run(() => jobs.Trigger(TouchpointSweeps.RecurringJobId), CancellationToken.None).WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "The sweep could not be started at the alarm's time; the recurring sweep still runs");
            }
        }
    }
}

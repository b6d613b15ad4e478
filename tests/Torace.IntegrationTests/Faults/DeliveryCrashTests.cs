using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Faults;

/// <summary>
/// The one window the delivery log leaves open (DESIGN §4): a process killed after the mail server accepted an email and
/// before the delivery is recorded sends that email again when the message is redelivered. This test kills a process
/// sending through the real delivery log (the crash harness: real PostgreSQL, the real mail sink) at random moments, over
/// and over, restarts it from the first email of the message in flight (four to a message, as the broker redelivers a
/// whole message), and counts what arrived: every email at least once, and at most one repeat per kill, which holds
/// only because the log skips the recipients it already sent to. 60 kills in the test command (about two minutes); <c>TORACE_DELIVERY_KILLS=1000</c> runs the issue's thousand.
/// </summary>
[Collection(nameof(FaultTests))]
[Trait("Category", "Faults")]
public sealed class DeliveryCrashTests(ToraceSystem system)
{
    /// <summary>The emails of one message in the harness: a redelivery starts at the message's first.</summary>
    const int Recipients = 4;

    static readonly int Kills = int.TryParse(Environment.GetEnvironmentVariable("TORACE_DELIVERY_KILLS"), CultureInfo.InvariantCulture, out var kills) ? kills : 60;

    [Fact]
    public async Task A_sender_killed_at_random_moments_loses_no_email_and_repeats_at_most_the_one_in_flight_at_each_kill()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..8];
        var postgres = new NpgsqlConnectionStringBuilder(system.Postgres) { Database = $"crash_{run}" }.ConnectionString;
        var smtp = await system.App.GetConnectionStringAsync("mail", ct) ?? throw new InvalidOperationException("The mail sink has no connection string.");
        var random = new Random(20261207);
        var clock = Stopwatch.StartNew();

        var next = 0; // the first email not acknowledged: where a redelivery starts
        for (var kill = 0; kill < Kills; kill++)
        {
            // Killed somewhere in its first 0.4 s of sending: before, inside or after an email's SMTP conversation.
            // The broker redelivers the whole message in flight: from its first recipient, those already sent to included.
            var acknowledged = await Run(postgres, smtp, run, next, count: 1_000_000, killAfter: TimeSpan.FromMilliseconds(random.Next(0, 400)), ct);
            next = acknowledged / Recipients * Recipients;
        }
        // The last redelivery: the email in flight at the last kill goes out (or is found recorded), then it stops.
        var total = await Run(postgres, smtp, run, next, count: Recipients, killAfter: null, ct);

        var ours = (await system.Emails(ct)).Where(e => e.Subject.StartsWith($"Crash {run} ", StringComparison.Ordinal)).ToList();
        var arrived = ours.Where(e => e.Subject.StartsWith($"Crash {run} #", StringComparison.Ordinal)).ToList();
        var copies = arrived.GroupBy(e => int.Parse(e.Subject[(e.Subject.IndexOf('#', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Count());
        var lost = Enumerable.Range(0, total).Where(i => !copies.ContainsKey(i)).ToList();
        var twice = copies.Values.Sum(c => c - 1);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Kills} kills in {clock.Elapsed:mm\\:ss}; {total} emails sent through the delivery log; {lost.Count} lost; {twice} repeats, "
            + $"{copies.Values.Count(c => c > 1)} emails arrived more than once (at most {copies.Values.DefaultIfEmpty(0).Max()} times) "
            + $"({twice * 100.0 / Math.Max(1, Kills):0.0}% of kills landed between the mail server's accept and the record)");
        await system.DeleteEmails(ours.Select(e => e.Id), ct);

        Assert.True(total > Kills, $"Only {total} emails went out over {Kills} kills: the harness was killed before it sent anything.");
        Assert.True(lost.Count == 0, $"Lost: {string.Join(", ", lost.Take(20))}");
        // Each kill can repeat only the email it interrupted (two kills in a row can interrupt the same one twice).
        Assert.True(twice <= Kills, $"{twice} repeats over {Kills} kills: more than the one email in flight per kill.");
        // The log holds one record per email, whatever the kills did.
        await using var database = NpgsqlDataSource.Create(postgres);
        await using var records = database.CreateCommand("select count(*) from notifications.mt_doc_delivery where data ->> 'kind' = 'match'");
        Assert.Equal(total, Convert.ToInt32(await records.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Runs the harness from email <paramref name="from"/>; kills it <paramref name="killAfter"/> after it is ready (SIGKILL),
    /// or lets it finish. Answers the first email it did not acknowledge.
    /// </summary>
    static async Task<int> Run(string postgres, string smtp, string run, int from, int count, TimeSpan? killAfter, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Harness, postgres, smtp, run, from.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var next = from;
        var ready = new TaskCompletionSource();
        var errors = process.StandardError.ReadToEndAsync(ct);
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
            {
                if (line == "ready")
                {
                    ready.TrySetResult();
                }
                else if (line.StartsWith("sent ", StringComparison.Ordinal))
                {
                    Volatile.Write(ref next, int.Parse(line[5..], CultureInfo.InvariantCulture) + 1);
                }
            }
        }, ct);
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
            if (killAfter is { } after)
            {
                await Task.Delay(after, ct);
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The crash harness did not start or finish: {await errors}");
        }
        await reading;
        Assert.True(killAfter is not null || process.ExitCode == 0, $"The crash harness failed ({process.ExitCode}): {await errors}");
        return Volatile.Read(ref next);
    }

    /// <summary>The harness as the build left it beside this project (the test project references it, so it is built first).</summary>
    static string Harness => Directory.EnumerateFiles(Path.Combine(Repository.Root, "tests", "Torace.DeliveryCrashHarness", "bin"), "Torace.DeliveryCrashHarness.dll", SearchOption.AllDirectories)
        .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
        ?? throw new InvalidOperationException("Torace.DeliveryCrashHarness is not built: build the solution first.");
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using MassTransit;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.IntegrationTests.Fixture;
using Torace.Platform.Jobs;

namespace Torace.IntegrationTests.Faults;

/// <summary>
/// Parts of the system fail while a district's program is enrolled, matched and published, and nothing is lost
/// or sent twice. These tests stop and kill parts of the shared system, so they run alone, after the others.
/// </summary>
[Collection(nameof(FaultTests))]
[Trait("Category", "Faults")]
public sealed class FaultTests(ToraceSystem system)
{
    /// <summary>
    /// Mentor-mentee pairs in each fault's workload: 20 in the test command; <c>TORACE_FAULTS_PAIRS=1000</c> runs the
    /// issue's 2,000 enrolments (README, Operations).
    /// </summary>
    static readonly int Pairs = (int)Setting("TORACE_FAULTS_PAIRS", 20);

    /// <summary>
    /// How long the mail server stays down: 2.2 minutes in the test command (longer than every immediate retry);
    /// <c>TORACE_MAIL_OUTAGE_MINUTES=10</c> runs the ten-minute outage.
    /// </summary>
    static readonly TimeSpan MailOutage = TimeSpan.FromMinutes(Setting("TORACE_MAIL_OUTAGE_MINUTES", 2.2));

    /// <summary>How long RabbitMQ stays down: 1.5 minutes in the test command (three of the outbox's longest waits); <c>TORACE_BROKER_OUTAGE_MINUTES=5</c>.</summary>
    static readonly TimeSpan BrokerOutage = TimeSpan.FromMinutes(Setting("TORACE_BROKER_OUTAGE_MINUTES", 1.5));

    /// <summary>How long everything may take to arrive once the fault is over: more for a larger workload.</summary>
    static TimeSpan Within(double minutes) => TimeSpan.FromMinutes(minutes + Pairs / 100.0);

    /// <summary>Waits until <paramref name="outage"/> has lasted <paramref name="length"/> (at once if the workload took longer).</summary>
    static Task Until(Stopwatch outage, TimeSpan length, CancellationToken ct) =>
        outage.Elapsed < length ? Task.Delay(length - outage.Elapsed, ct) : Task.CompletedTask;

    static double Setting(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [Fact]
    public async Task A_mail_server_down_for_minutes_delays_the_emails_and_loses_none()
    {
        var ct = TestContext.Current.CancellationToken;
        var workload = await FaultWorkload.Enrolled(system, Pairs, ct);

        await FaultWorkload.Command(system, "mail", KnownResourceCommands.StopCommand, ct);
        var outage = Stopwatch.StartNew();
        await workload.MatchAndPublish(ct);
        await Until(outage, MailOutage, ct);

        // Longer than every immediate retry: nothing went to an error queue; the emails wait in the broker.
        Assert.Equal(0, await FaultWorkload.QueueLength(system, "notifications-notify-match_error", ct));
        Assert.Equal(0, await FaultWorkload.QueueLength(system, "notifications-notify-touchpoint-due_error", ct));
        await FaultWorkload.Command(system, "mail", KnownResourceCommands.StartCommand, ct);
        var back = Stopwatch.StartNew();
        await BackAndHealthy("mail", ct);

        var (recovered, _) = await workload.AssertEverythingArrivedOnce(back, Within(7), ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"mail down {outage.Elapsed - back.Elapsed:mm\\:ss}; every email arrived {recovered.TotalSeconds:0} s after the mail server was back; 0 lost, 0 twice");
    }

    [Fact]
    public async Task RabbitMQ_restarted_right_after_a_publish_loses_and_repeats_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var workload = await FaultWorkload.Enrolled(system, Pairs, ct);
        await workload.MatchAndPublish(ct);

        var restart = Stopwatch.StartNew();
        await FaultWorkload.Command(system, "rabbitmq", KnownResourceCommands.RestartCommand, ct);
        await BackAndHealthy("rabbitmq", ct);

        var (recovered, _) = await workload.AssertEverythingArrivedOnce(restart, Within(4), ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"RabbitMQ restarted; every email arrived {recovered.TotalSeconds:0} s after the restart began; 0 lost, 0 twice");
    }

    [Fact]
    public async Task RabbitMQ_down_for_minutes_while_people_enrol_keeps_every_event_in_the_outbox_and_loses_none()
    {
        var ct = TestContext.Current.CancellationToken;
        await FaultWorkload.Command(system, "rabbitmq", KnownResourceCommands.StopCommand, ct);
        var outage = Stopwatch.StartNew();
        // Programs stores every enrolment meanwhile; its outbox cannot publish one of them until the broker is back.
        var workload = await FaultWorkload.Enrolled(system, Pairs, ct);
        // A coordinator asks for a run before the broker is back: accepted, and its Location says it is coming (202 with
        // Retry-After), not 404, though Matching cannot hear of it yet. A run nobody asked for is still a 404.
        var runId = await workload.StartRun(ct);
        var (pending, body) = await workload.ReadRun(runId, ct);
        Assert.True(pending == HttpStatusCode.Accepted && body.GetProperty("status").GetString() == "running", $"{pending}: {body}");
        Assert.Equal(HttpStatusCode.NotFound, (await workload.ReadRun(Guid.NewGuid(), ct)).Status);
        await Until(outage, BrokerOutage, ct);

        await FaultWorkload.Command(system, "rabbitmq", KnownResourceCommands.StartCommand, ct);
        var back = Stopwatch.StartNew();
        await BackAndHealthy("rabbitmq", ct);
        // The services reconnect to the broker on their own; the run covers everyone who enrolled during the outage.
        await workload.Publish(runId, ct);
        var (recovered, _) = await workload.AssertEverythingArrivedOnce(back, Within(4), ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"RabbitMQ down {outage.Elapsed - back.Elapsed:mm\\:ss} while {Pairs * 2} people enrolled and a run was asked for; "
            + $"matched, published and every email arrived {recovered.TotalSeconds:0} s after it was back; 0 lost, 0 twice");
    }

    [Theory]
    [InlineData("programs", true)]
    [InlineData("matching", true)]
    [InlineData("gateway", true)]
    [InlineData("scheduling", false)]
    [InlineData("notifications", false)]
    public async Task A_service_killed_mid_workload_comes_back_and_nothing_is_lost_or_repeated(string service, bool duringEnrolment)
    {
        var ct = TestContext.Current.CancellationToken;
        var killed = Stopwatch.StartNew();
        var workload = await FaultWorkload.Enrolled(system, Pairs, ct, async enrolled =>
        {
            if (duringEnrolment && enrolled == Pairs / 3)
            {
                killed.Restart();
                FaultWorkload.Kill(system, service);
            }

            await Task.CompletedTask;
        });
        await WaitUntilHealthyAgain(service, ct);
        await workload.MatchAndPublish(ct);
        if (!duringEnrolment)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            killed.Restart();
            FaultWorkload.Kill(system, service);
            await WaitUntilHealthyAgain(service, ct);
        }

        var backIn = killed.Elapsed;
        // Only Notifications has the SMTP-accept window; its in-flight sends are at most MassTransit's prefetch (16).
        var (recovered, sentTwice) = await workload.AssertEverythingArrivedOnce(killed, Within(4), ct, acceptWindow: service == "notifications" ? 16 : 0);
        TestContext.Current.TestOutputHelper?.WriteLine($"{service} killed; running again after {backIn.TotalSeconds:0} s; every email {recovered.TotalSeconds:0} s after the kill; 0 lost, {sentTwice} sent twice");
    }

    [Fact]
    public async Task PostgreSQL_restarted_right_after_a_publish_loses_and_repeats_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var workload = await FaultWorkload.Enrolled(system, Pairs, ct);
        await workload.MatchAndPublish(ct);

        // A caller reads through the restart: every answer is the program, or a 503 that says when to try again.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reads = ReadThrough(workload.ProgramId, reading.Token);
        var restart = Stopwatch.StartNew();
        var stopTook = await StopAndStart("postgres", ct);
        await BackAndHealthy("postgres", ct);
        // Longer than the gateway trusts a key it has read, so its next read of the key meets the restarted database.
        await Task.Delay(TimeSpan.FromSeconds(15), ct);
        await reading.CancelAsync();
        var (ok, waitAndRetry) = await reads;

        var (recovered, _) = await workload.AssertEverythingArrivedOnce(restart, Within(4), ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"PostgreSQL restarted (its stop took {stopTook.TotalSeconds:0.0} s); every email arrived {recovered.TotalSeconds:0} s after the restart began; 0 lost, 0 twice; "
            + $"reads meanwhile: {ok} answered, {waitAndRetry} told to retry, none failed");
    }

    /// <summary>
    /// Stops a part and starts it again, as an operator does from the dashboard. Aspire's stop command gives a part
    /// about 15 s to end and then answers "Failed to stop resource", although a slow stop may still be under way, so a
    /// stop it calls failed is waited out, bounded, before the start. At the end of the full-scale suite the stop once
    /// never reached PostgreSQL (its state "Unknown", no shutdown in its log, its output silent for a quarter of an hour:
    /// see <c>ConsoleThroughFile</c>), so the part's state and last output go into the test's output either way, and a
    /// part that never stopped is started again before the test fails. Answers how long the stop took.
    /// </summary>
    async Task<TimeSpan> StopAndStart(string resource, CancellationToken ct)
    {
        var stopping = Stopwatch.StartNew();
        var stop = await system.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, ct);
        if (!stop.Success)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(TimeSpan.FromMinutes(1));
            try
            {
                await system.App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text is "Finished" or "Exited" or "FailedToStart", bound.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                system.App.ResourceNotifications.TryGetCurrentState(resource, out var state);
                var output = await system.LastOutput(state?.ResourceId ?? resource, ct);
                // Started again before failing, so the tests after this one meet a running part, not this failure.
                var start = await system.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, ct);
                Assert.Fail($"{resource} had not stopped a minute after Aspire's stop answered \"{stop.Message}\": {state?.Snapshot.State?.Text}; "
                    + $"starting it again {(start.Success ? "succeeded" : $"failed too: {start.Message}")}; its last output:\n{output}");
            }
            system.App.ResourceNotifications.TryGetCurrentState(resource, out var stopped);
            TestContext.Current.TestOutputHelper?.WriteLine($"Aspire answered \"{stop.Message}\"; {resource} stopped {stopping.Elapsed.TotalSeconds:0.0} s after the stop began. "
                + $"Its last output:\n{await system.LastOutput(stopped?.ResourceId ?? resource, ct)}");
        }
        var took = stopping.Elapsed;
        await FaultWorkload.Command(system, resource, KnownResourceCommands.StartCommand, ct);
        return took;
    }

    /// <summary>Reads the program through the gateway every 100 ms until cancelled; any answer but 200 or a wait-and-retry fails the test.</summary>
    async Task<(int Ok, int WaitAndRetry)> ReadThrough(Guid programId, CancellationToken ct)
    {
        var api = new DistrictApi(system.District("demo-a"));
        var (ok, waitAndRetry) = (0, 0);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var response = await api.Http.GetAsync($"/api/v1/programs/{programId}", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ok++;
                }
                else
                {
                    Assert.True(FaultWorkload.IsWaitAndRetry(response), $"GET program answered {response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                    waitAndRetry++;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }
        return (ok, waitAndRetry);
    }

    /// <summary>
    /// Waits (bounded: a part that never comes back fails the test, it does not hang it) until a restarted part is
    /// healthy. A killed service is Exited until the AppHost has started it again, so a kill waits through that.
    /// </summary>
    async Task BackAndHealthy(string resource, CancellationToken ct, WaitBehavior behavior = WaitBehavior.StopOnResourceUnavailable)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, behavior, bound.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            system.App.ResourceNotifications.TryGetCurrentState(resource, out var state);
            Assert.Fail($"{resource} was not healthy 3 minutes after it was started again: {state?.Snapshot.State?.Text}, exit code {state?.Snapshot.ExitCode}, "
                + $"health {string.Join(", ", state?.Snapshot.HealthReports.Select(h => $"{h.Name}={h.Status} {h.Description}") ?? [])}; "
                + $"its last output:\n{await system.LastOutput(state?.ResourceId ?? resource, ct)}");
        }
    }

    /// <summary>
    /// A service killed while Hangfire held one of its locks (a recurring job's, taken every few seconds) left the lock's
    /// row behind. Restarted, it used to fail to register its recurring job and crash, again and again, for Hangfire's
    /// ten minutes (seen in CI as Notifications exiting with code 134 until the test gave up). Now it starts, does its
    /// work at once, and takes the abandoned lock over once it is stale. The test kills the service (SIGKILL of its process
    /// tree) and plants the row its lock would have left before the AppHost starts it again (after at least a second);
    /// planted under a running service instead, the row held up that service's graceful stop past what DCP waits (CI).
    /// </summary>
    [Theory]
    [InlineData("notifications", "daily-digest")]
    [InlineData("scheduling", "touchpoint-sweep")]
    public async Task A_service_restarted_over_a_lock_its_killed_predecessor_held_starts_and_loses_nothing(string service, string recurringJob)
    {
        var ct = TestContext.Current.CancellationToken;
        var resource = $"hangfire:lock:recurring-job:{recurringJob}";
        await using var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(system.Postgres) { Database = service }.ConnectionString);

        var restarted = Stopwatch.StartNew();
        FaultWorkload.Kill(system, service);
        // The row a lock leaves when its holder dies; the killed service's own lock, if it held one, is that row already.
        DateTime planted;
        await using (var plant = database.CreateCommand(
            "insert into hangfire.lock (resource, updatecount, acquired) values ($1, 0, now()) on conflict (resource) do update set acquired = now() returning acquired"))
        {
            plant.Parameters.AddWithValue(resource);
            planted = (DateTime)(await plant.ExecuteScalarAsync(ct))!;
        }
        // A restart passes through states a plain wait reads as "failed to start" (seen in CI): wait it out, bounded.
        await WaitUntilHealthyAgain(service, ct);
        var workload = await FaultWorkload.Enrolled(system, Pairs, ct);
        await workload.MatchAndPublish(ct);
        var (recovered, _) = await workload.AssertEverythingArrivedOnce(restarted, Within(3), ct);

        // The service asked for that very lock (the row of a resource nobody asks for would stay), and took it over once it
        // was stale: the planted row, known by the moment it says it was taken, is gone.
        await Eventually.Until(async token =>
            {
                await using var held = database.CreateCommand("select count(*) from hangfire.lock where resource = $1 and acquired = $2");
                held.Parameters.AddWithValue(resource);
                held.Parameters.AddWithValue(planted);
                return (long)(await held.ExecuteScalarAsync(token))!;
            },
            n => n == 0, $"the abandoned lock on {resource} to be taken over", seconds: 120);
        Assert.True(restarted.Elapsed >= HangfireJobs.StaleLockAfter - TimeSpan.FromSeconds(1),
            $"The planted lock went after {restarted.Elapsed.TotalSeconds:0} s, before it was stale: something else removed it.");
        TestContext.Current.TestOutputHelper?.WriteLine($"{service} restarted over its predecessor's lock; every email {recovered.TotalSeconds:0} s after the restart; the lock taken over after {restarted.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>The AppHost starts a crashed service again on its own; give the kill a second to be seen first.</summary>
    async Task WaitUntilHealthyAgain(string service, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        await BackAndHealthy(service, ct, WaitBehavior.WaitOnResourceUnavailable);
    }

    [Fact]
    public async Task A_dead_lettered_message_is_counted_and_replayed_once_by_the_runbook_shovel()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..8];
        var api = new DistrictApi(system.District("demo-a"));
        var programId = await api.CreateProgram(DistrictApi.ProgramBody($"Dead letter {run}", DateTimeOffset.UtcNow.AddDays(3)), ct);
        var match = new MatchProposed("demo-a", programId, Guid.NewGuid(), Guid.NewGuid(), $"Dead letter {run}",
            new Participant(Guid.NewGuid(), "Eve", $"eve.{run}@a.example.org", "Lincoln", "UTC"),
            [new Participant(Guid.NewGuid(), "Fox", $"fox.{run}@a.example.org", "Roosevelt", "UTC")],
            [new SessionPlan(1, "virtual", DateTimeOffset.UtcNow.AddDays(20))], false, false, [],
            new MatchMessage("Hello again", null), 1, [], DateTimeOffset.UtcNow);
        var messageId = NewId.NextGuid();
        // As if the consumer had dead-lettered it: the message lies in its error queue.
        await system.Send(new Uri("queue:notifications-notify-match_error"), match, messageId, ct);

        var health = await Eventually.Until(async token => await Health("notifications", token),
            h => h.GetProperty("checks").GetProperty("dead-letters").GetProperty("status").GetString() == "Degraded",
            "/health to report the dead-lettered message", seconds: 45);
        Assert.True(health.GetProperty("checks").GetProperty("dead-letters").GetProperty("data").GetProperty("notifications-notify-match_error").GetInt64() >= 1);

        await Replay("notifications-notify-match", ct);
        await Eventually.Until(async token => (await system.Emails(token)).Count(e => e.Subject.Contains(run, StringComparison.Ordinal) && ToraceSystem.IsMatchEmail(e.Subject)),
            n => n == 2, "the replayed match's two emails");
        // The management API's counts are sampled every few seconds.
        await Eventually.Until(ct2 => FaultWorkload.QueueLength(system, "notifications-notify-match_error", ct2), n => n == 0, "the emptied error queue");

        // Replayed a second time (an operator who ran the runbook twice): the inbox sends nothing new.
        await system.Send(new Uri("queue:notifications-notify-match_error"), match, messageId, ct);
        await Replay("notifications-notify-match", ct);
        await Eventually.Until(ct2 => FaultWorkload.QueueLength(system, "notifications-notify-match_error", ct2), n => n == 0, "the second replay");
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        Assert.Equal(2, (await system.Emails(ct)).Count(e => e.Subject.Contains(run, StringComparison.Ordinal) && ToraceSystem.IsMatchEmail(e.Subject)));
    }

    async Task<JsonElement> Health(string service, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = system.ServiceUrl(service) };
        return await http.GetFromJsonAsync<JsonElement>("/health", ct);
    }

    /// <summary>README's runbook: a dynamic shovel that moves everything in a queue's error queue back to it, then deletes itself.</summary>
    async Task Replay(string queue, CancellationToken ct)
    {
        using var management = FaultWorkload.Management(system);
        using var created = await management.PutAsJsonAsync($"api/parameters/shovel/%2F/replay-{queue}", new
        {
            value = new Dictionary<string, object>
            {
                ["src-protocol"] = "amqp091", ["src-uri"] = "amqp://", ["src-queue"] = queue + "_error",
                ["dest-protocol"] = "amqp091", ["dest-uri"] = "amqp://", ["dest-queue"] = queue,
                ["src-delete-after"] = "queue-length",
            },
        }, ct);
        Assert.True(created.IsSuccessStatusCode, $"shovel: {created.StatusCode} {await created.Content.ReadAsStringAsync(ct)}");
        Assert.NotEqual(HttpStatusCode.NotFound, created.StatusCode);
    }
}

[CollectionDefinition(nameof(FaultTests), DisableParallelization = true)]
public sealed class FaultTestsCollection;

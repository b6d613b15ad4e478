using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Faults;

/// <summary>
/// The fault tests' workload: a program of mentor-mentee pairs whose first session is tomorrow (so every
/// pre-reflection falls due at once), enrolled 16 at a time, matched and published; then the counts that say
/// nothing was lost or sent twice.
/// </summary>
public sealed class FaultWorkload(ToraceSystem system, DistrictApi api, string run, Guid programId, int pairs)
{
    public Guid ProgramId => programId;
    public string Run => run;

    public static async Task<FaultWorkload> Enrolled(ToraceSystem system, int pairs, CancellationToken ct, Func<int, Task>? afterEnrolment = null)
    {
        var api = new DistrictApi(system.District("demo-a"));
        var run = Guid.NewGuid().ToString("N")[..8];
        var programId = await api.CreateOpenProgram(DistrictApi.ProgramBody($"Fault {run}", DateTimeOffset.UtcNow.AddDays(1)), ct);
        var enrolled = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, pairs), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            await EnrolRetrying(api, programId, DistrictApi.Person("mentor", $"mentor{i}.{run}@a.example.org", $"North {run}", capacity: 1), token);
            await EnrolRetrying(api, programId, DistrictApi.Person("mentee", $"mentee{i}.{run}@a.example.org", $"South {run}"), token);
            if (afterEnrolment is not null)
            {
                await afterEnrolment(Interlocked.Increment(ref enrolled));
            }
        });
        return new FaultWorkload(system, api, run, programId, pairs);
    }

    /// <summary>Enrols as an integrator does: a failed or unanswered call is sent again, and the repeat answers the same enrolment.</summary>
    static async Task EnrolRetrying(DistrictApi api, Guid programId, object person, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                using var response = await api.Http.PostAsJsonAsync($"/api/v1/programs/{programId}/enrolments", person, ct);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    return;
                }

                Assert.True(IsWaitAndRetry(response), $"enrolment answered {response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
            catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested && DateTimeOffset.UtcNow < deadline)
            {
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "the enrolment was not accepted within two minutes");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>
    /// The answers a caller may meet while a part is down, each telling it to try again: the gateway's 502/504 for a
    /// service that is not running, a 503 with <c>Retry-After</c> for a service that lost its database, a 429. Never a 500.
    /// </summary>
    public static bool IsWaitAndRetry(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests => true,
        HttpStatusCode.ServiceUnavailable => response.Headers.RetryAfter is not null,
        _ => false,
    };

    /// <summary>Kills a service's process outright (SIGKILL), as a crash would, by the process id Aspire reports for it.</summary>
    public static void Kill(ToraceSystem system, string resource)
    {
        Assert.True(system.App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"no resource {resource}");
        var pid = state!.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString();
        Assert.False(string.IsNullOrEmpty(pid), $"Aspire reports no process id for {resource}");
        // Aspire starts a project as `dotnet run`, whose child is the service itself: kill the whole tree at once.
        using var process = Process.GetProcessById(int.Parse(pid!, System.Globalization.CultureInfo.InvariantCulture));
        process.Kill(entireProcessTree: true);
    }

    /// <summary>Runs matching and publishes every proposal; answers when the publish was accepted.</summary>
    public async Task MatchAndPublish(CancellationToken ct) => await Publish(await api.StartRun(programId, ct), ct);

    /// <summary>Asks for a run (202); the run is not waited for.</summary>
    public Task<Guid> StartRun(CancellationToken ct) => api.StartRun(programId, ct);

    /// <summary>The run as its Location answers now: 200, or 202 with Retry-After until Matching takes it up.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> ReadRun(Guid runId, CancellationToken ct)
    {
        using var response = await api.Http.GetAsync($"/api/v1/programs/{programId}/matching-runs/{runId}", ct);
        Assert.True(response.StatusCode != HttpStatusCode.Accepted || response.Headers.RetryAfter is not null, "a 202 for a run without Retry-After");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(ct));
    }

    /// <summary>Waits for the run to propose a match for every pair and publishes it; answers when the publish was accepted.</summary>
    public async Task Publish(Guid runId, CancellationToken ct)
    {
        var run = await api.Finished(programId, runId, ct, seconds: 60 + pairs / 10);
        Assert.True(run.GetProperty("proposalCount").GetInt32() == pairs, $"Expected {pairs} proposals: {run}");
        using var published = await api.Http.PostAsync($"/api/v1/programs/{programId}/matching-runs/{runId}/publish", null, ct);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
    }

    /// <summary>
    /// This program's match emails and pre-reflection reminders the SMTP sink holds, by (recipient, subject); the
    /// calendar invites that follow a match are counted by their own tests (CalendarInviteTests).
    /// </summary>
    public async Task<IReadOnlyList<(string To, string Subject)>> Emails(CancellationToken ct) =>
        [.. (await Counted(ct)).Select(e => (e.To[0].Address, e.Subject))];

    /// <summary>This workload's match emails and reminders as the sink holds them, Message-IDs included.</summary>
    async Task<IReadOnlyList<SentEmail>> Counted(CancellationToken ct) =>
        [.. (await system.Emails(ct))
            .Where(e => e.To.Any(t => t.Address.Contains($".{run}@", StringComparison.Ordinal)) && (IsMatch(e.Subject) || IsReminder(e.Subject)))];

    /// <summary>
    /// Waits until every participant has their match email and their pre-reflection reminder, then (after a pause that
    /// gives a second delivery every chance) asserts each arrived exactly once and every pair has one engagement.
    /// Answers how long the last of them took from <paramref name="since"/>.
    /// </summary>
    /// <remarks>
    /// <paramref name="acceptWindow"/> is the one exception DESIGN §4 names: Notifications killed between a mail
    /// server's accept and the delivery's record sends that email again. The test reports how many, and they may be at
    /// most the messages it has in flight; everything else arrives exactly once.
    /// </remarks>
    public async Task<(TimeSpan Recovered, int SentTwice)> AssertEverythingArrivedOnce(Stopwatch since, TimeSpan within, CancellationToken ct, int acceptWindow = 0)
    {
        var participants = pairs * 2;
        try
        {
            await Eventually.Until(async token =>
                {
                    var emails = await Emails(token);
                    // A record, not a tuple: a timeout prints the last counts (a tuple's fields serialise as "{}").
                    // Everyone's own pre-reflection, not any two reminders: a session reminder counted too let ten engagements'
                    // reminders stand for twenty people while Scheduling was still taking the other ten matches in (seen
                    // after a RabbitMQ restart), and the engagements were counted before they existed.
                    return new EmailCounts(emails.Count(e => IsMatch(e.Subject)),
                        emails.Where(e => IsPreReflection(e.Subject)).Select(e => e.To).Distinct().Count());
                },
                counts => counts.Matches >= participants && counts.Reminders >= participants,
                $"{participants} match emails and {participants} pre-reflection reminders", (int)within.TotalSeconds);
        }
        catch (TimeoutException missing)
        {
            // What the services that sweep, publish and send said last: a stuck part shows there, not in the counts.
            var said = new StringBuilder(missing.Message);
            foreach (var service in (string[])["scheduling", "notifications"])
            {
                system.App.ResourceNotifications.TryGetCurrentState(service, out var state);
                said.Append($"\n--- {service}'s last output ---\n").Append(await system.LastOutput(state?.ResourceId ?? service, ct, lines: 60));
            }
            throw new TimeoutException(said.ToString(), missing);
        }
        var recovered = since.Elapsed;

        await Task.Delay(TimeSpan.FromSeconds(10), ct);
        var counted = await Counted(ct);
        var all = counted.Select(e => (To: e.To[0].Address, e.Subject)).ToList();
        // With the Message-IDs: one shared by both copies is one delivery sent twice; two are two deliveries (two messages).
        var twice = counted.GroupBy(e => (e.To[0].Address, e.Subject)).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} × {g.Count()} [{string.Join(", ", g.Select(e => e.MessageId))}]").ToList();
        Assert.True(twice.Count <= acceptWindow, "Sent twice: " + string.Join("; ", twice));
        Assert.Equal(participants, all.Where(e => IsMatch(e.Subject)).Distinct().Count());
        Assert.Equal(participants, all.Select(e => e.To).Distinct().Count());
        var engagements = await api.AllItems($"/api/v1/programs/{programId}/engagements", ct);
        Assert.Equal(pairs, engagements.Count);
        Assert.Equal(pairs, engagements.Select(e => e.GetProperty("id").GetGuid()).Distinct().Count());

        // The sink keeps every email of the whole test run: this workload's go once counted, so the next fault's counts stay cheap.
        await system.DeleteEmails((await system.Emails(ct)).Where(e => e.To.Any(t => t.Address.Contains($".{run}@", StringComparison.Ordinal))).Select(e => e.Id), ct);
        return (recovered, twice.Count);
    }

    static bool IsMatch(string subject) => ToraceSystem.IsMatchEmail(subject);

    static bool IsPreReflection(string subject) => subject.StartsWith("Before", StringComparison.Ordinal);

    static bool IsReminder(string subject) => IsPreReflection(subject) || subject.StartsWith("Reminder", StringComparison.Ordinal);

    /// <summary>Runs one of Aspire's resource commands; a command that fails fails the test with Aspire's reason.</summary>
    public static async Task Command(ToraceSystem system, string resource, string command, CancellationToken ct)
    {
        var result = await system.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, ct);
        Assert.True(result.Success, $"{command} of {resource} failed: {result.Message}");
    }

    /// <summary>Messages waiting in a queue, through the RabbitMQ management API (0 for a queue that does not exist).</summary>
    public static async Task<long> QueueLength(ToraceSystem system, string queue, CancellationToken ct)
    {
        using var http = Management(system);
        using var response = await http.GetAsync($"api/queues/%2F/{queue}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return body.TryGetProperty("messages", out var messages) ? messages.GetInt64() : 0;
    }

    public static HttpClient Management(ToraceSystem system)
    {
        var http = new HttpClient { BaseAddress = new Uri(system.RabbitMqManagement.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return http;
    }
}

/// <summary>How many of a workload's match emails and reminders the SMTP sink holds.</summary>
public sealed record EmailCounts(int Matches, int Reminders);

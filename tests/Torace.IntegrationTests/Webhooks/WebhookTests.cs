using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Webhooks;

/// <summary>
/// Webhooks end to end: a district registers an endpoint through the gateway, enrols people, and a real HTTP receiver on
/// this machine gets signed deliveries that the Standard Webhooks library verifies. The system runs with short waits
/// (<see cref="ToraceSystem.WebhookSettings"/>): an attempt times out after 4 s, retries wait 1 s, 4 s, 16 s…
/// </summary>
public sealed class WebhookTests(ToraceSystem system)
{
    const string Enrolled = "participant.enrolled";

    [Fact]
    public async Task An_endpoint_gets_each_event_signed_once_its_log_shows_it_and_a_replay_sends_it_again_with_the_same_id()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.Start(ct);
        var a = new DistrictApi(system.District("demo-a"));
        var (hook, secret) = await Register(a, receiver.Url("hr"), [Enrolled], ct);
        try
        {
            var program = await a.CreateOpenProgram($"Webhooks {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            var enrolment = await a.Enrol(program, DistrictApi.Person("mentee", $"wh-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct);
            // The same person enrolled again is the same enrolment: no second event, no second delivery.
            await a.Enrol(program, DistrictApi.Person("mentee", $"other-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct);

            var first = await Arrived(receiver, "hr", r => Is(r, enrolment), 1, ct);
            var hit = Assert.Single(first);
            Assert.True(hit.VerifiesWith(secret), "The Standard Webhooks library did not accept the signature.");
            Assert.False(hit.VerifiesWith("whsec_" + Convert.ToBase64String(new byte[32])), "A wrong secret verified.");
            Assert.Equal(Enrolled, hit.Type);
            Assert.Equal(1, hit.Payload.GetProperty("version").GetInt32());
            Assert.Equal(program, hit.Data.GetProperty("programId").GetGuid());
            Assert.Equal("mentee", hit.Data.GetProperty("role").GetString());

            // The receiver has the request before the sender has recorded its answer: wait for the log to say so.
            var delivery = await Eventually.Until(t => DeliveryOf(a, hook, enrolment, t),
                d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "delivered", "the delivery to be recorded as delivered", 30);
            Assert.Equal(hit.WebhookId, delivery.GetProperty("webhookId").GetString());
            Assert.Equal(200, Assert.Single(delivery.GetProperty("attemptLog").EnumerateArray()).GetProperty("statusCode").GetInt32());

            using var replay = await a.Http.PostAsync($"/api/v1/webhooks/{hook}/deliveries/{delivery.GetProperty("id").GetGuid()}/replay", null, ct);
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
            var both = await Arrived(receiver, "hr", r => Is(r, enrolment), 2, ct);
            Assert.Equal(hit.WebhookId, both[1].WebhookId);
            Assert.True(both[1].VerifiesWith(secret));
            var replayed = await Eventually.Until(t => Delivery(a, hook, delivery.GetProperty("id").GetGuid(), t),
                d => d.GetProperty("attempts").GetInt32() == 2 && d.GetProperty("status").GetString() == "delivered", "the replay in the log", 30);
            Assert.Equal(2, replayed.GetProperty("attemptLog").GetArrayLength());
        }
        finally
        {
            await Remove(a, hook, ct);
        }
    }

    [Fact]
    public async Task A_delivery_answered_500_and_then_not_answered_in_time_is_retried_until_it_is_received()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.Start(ct);
        var a = new DistrictApi(system.District("demo-a"));
        var (hook, secret) = await Register(a, receiver.Url("flaky"), [Enrolled], ct);
        try
        {
            var program = await a.CreateOpenProgram($"Webhook retries {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            receiver.Answer("flaky", program, attempt => attempt switch { 1 => 500, 2 => null, _ => 200 });
            var enrolment = await a.Enrol(program, DistrictApi.Person("mentor", $"wh-{Guid.NewGuid():N}@a.example.org", "Lincoln", capacity: 1), ct);

            var tries = await Arrived(receiver, "flaky", r => Is(r, enrolment), 3, ct);
            Assert.Single(tries.Select(t => t.WebhookId).Distinct());
            Assert.All(tries, t => Assert.True(t.VerifiesWith(secret)));
            var delivery = await Eventually.Until(t => DeliveryOf(a, hook, enrolment, t),
                d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "delivered", "the delivery to be recorded as delivered", 30);
            var log = delivery.GetProperty("attemptLog").EnumerateArray().ToList();
            Assert.Equal(3, log.Count);
            Assert.Equal(500, log[0].GetProperty("statusCode").GetInt32());
            Assert.Contains("500", log[0].GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.Null, log[1].GetProperty("statusCode").ValueKind);
            Assert.Contains("No answer within 4 s", log[1].GetProperty("error").GetString());
            Assert.Equal(200, log[2].GetProperty("statusCode").GetInt32());
            // Each retry waited: about 1 s after the first failure and 4 s after the second.
            Assert.True(tries[1].At - tries[0].At >= TimeSpan.FromSeconds(0.8), $"The first retry came {(tries[1].At - tries[0].At).TotalSeconds:0.0} s after the first try.");
            Assert.True(tries[2].At - tries[1].At >= TimeSpan.FromSeconds(5), $"The second retry came {(tries[2].At - tries[1].At).TotalSeconds:0.0} s after the second try.");
        }
        finally
        {
            await Remove(a, hook, ct);
        }
    }

    [Fact]
    public async Task A_later_event_of_the_same_enrolment_waits_while_an_earlier_one_is_retried()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.Start(ct);
        var a = new DistrictApi(system.District("demo-a"));
        var (hook, _) = await Register(a, receiver.Url("ordered"), [Enrolled, "participant.withdrawn"], ct);
        try
        {
            var program = await a.CreateOpenProgram($"Webhook order {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            // Every delivery of the program fails twice before it is taken: the enrolment's event is still being retried when its withdrawal happens.
            receiver.Answer("ordered", program, attempt => attempt <= 2 ? 503 : 200);
            var enrolment = await a.Enrol(program, DistrictApi.Person("mentee", $"wh-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct);
            await Arrived(receiver, "ordered", r => Is(r, enrolment), 1, ct);
            (await a.Http.DeleteAsync($"/api/v1/programs/{program}/enrolments/{enrolment}", ct)).EnsureSuccessStatusCode();

            var all = await Arrived(receiver, "ordered", r => Is(r, enrolment), 6, ct, seconds: 60);
            var taken = all.First(r => r.Type == Enrolled && all.Count(o => o.WebhookId == r.WebhookId && o.At <= r.At) == 3);
            var firstWithdrawal = all.First(r => r.Type == "participant.withdrawn");
            Assert.True(firstWithdrawal.At >= taken.At,
                $"The withdrawal was first sent at {firstWithdrawal.At:HH:mm:ss.fff}, before the enrolment was taken at {taken.At:HH:mm:ss.fff}.");
        }
        finally
        {
            await Remove(a, hook, ct);
        }
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_disabled_with_a_reason_and_an_event_and_enabling_it_sends_what_waited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.Start(ct);
        receiver.Answer("dead", _ => 503);
        var a = new DistrictApi(system.District("demo-a"));
        var (dead, _) = await Register(a, receiver.Url("dead"), [Enrolled], ct);
        var (watcher, _) = await Register(a, receiver.Url("watcher"), ["webhook.disabled"], ct);
        try
        {
            var program = await a.CreateOpenProgram($"Webhook disable {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            var enrolments = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                a.Enrol(program, DistrictApi.Person("mentee", $"wh-{i}-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct)));

            var disabled = await Eventually.Until(t => a.Get($"/api/v1/webhooks/{dead}", t),
                h => h.GetProperty("status").GetString() == "disabled", "the failing endpoint to be disabled", 90);
            Assert.Contains("in a row failed", disabled.GetProperty("disabledReason").GetString());
            var told = Assert.Single(await Arrived(receiver, "watcher", r => r.Type == "webhook.disabled" && r.Data.GetProperty("endpointId").GetGuid() == dead, 1, ct));
            Assert.Equal(new Uri(receiver.Url("dead")).Host, told.Data.GetProperty("host").GetString());
            Assert.False(told.Data.TryGetProperty("url", out _));
            var waiting = (await Deliveries(a, dead, ct)).Where(d => enrolments.Contains(d.GetProperty("resourceId").GetGuid())).ToList();
            Assert.Equal(6, waiting.Count);
            Assert.All(waiting, d => Assert.Equal("paused", d.GetProperty("status").GetString()));
            using var refused = await a.Http.PostAsync($"/api/v1/webhooks/{dead}/replay", JsonContent.Create(new { }), ct);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

            receiver.Answer("dead", _ => 200);
            using var enable = await a.Http.PostAsync($"/api/v1/webhooks/{dead}/enable", null, ct);
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
            await Eventually.Until(t => Deliveries(a, dead, t),
                all => all.Count(d => enrolments.Contains(d.GetProperty("resourceId").GetGuid()) && d.GetProperty("status").GetString() == "delivered") == 6,
                "every delivery that waited to be delivered once the endpoint was enabled", 60);
        }
        finally
        {
            await Remove(a, dead, ct);
            await Remove(a, watcher, ct);
        }
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_holds_at_most_four_attempts_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.Start(ct);
        receiver.Answer("slow", _ => null);
        var a = new DistrictApi(system.District("demo-a"));
        var (hook, _) = await Register(a, receiver.Url("slow"), [Enrolled], ct);
        try
        {
            var program = await a.CreateOpenProgram($"Webhook cap {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => a.Enrol(program, DistrictApi.Person("mentee", $"cap-{i}-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct)));

            // Every attempt hangs until the sender gives up after 4 s; ten deliveries would all be open at once without the cap.
            await Eventually.Until(_ => Task.FromResult(receiver.Of("slow").Count), n => n >= 12, "three waves of attempts", 30);
            // At least two at once (the cap is not one), never more than four (on a busy machine the first claims may come apart).
            Assert.InRange(receiver.MostHeldAtOnce("slow"), 2, 4);
        }
        finally
        {
            await Remove(a, hook, ct);
        }
    }

    [Fact]
    public async Task One_districts_dead_receivers_do_not_delay_another_districts_deliveries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.Start(ct);
        var a = new DistrictApi(system.District("demo-a"));
        var b = new DistrictApi(system.District("demo-b"));
        // District B's four endpoints never answer in time: every attempt holds a slot for the whole 4 s timeout.
        receiver.Answer("b-dead", _ => null);
        var deadHooks = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            deadHooks.Add((await Register(b, receiver.Url("b-dead"), [Enrolled], ct)).Id);
        }
        var (healthy, _) = await Register(a, receiver.Url("a-healthy"), [Enrolled], ct);
        try
        {
            var programB = await b.CreateOpenProgram($"Dead receivers {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            var programA = await a.CreateOpenProgram($"Healthy receiver {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            // B's 30 enrolments queue 120 deliveries that hang, more than the 64 slots, before A's 12 come.
            await Task.WhenAll(Enumerable.Range(0, 30).Select(i => b.Enrol(programB, DistrictApi.Person("mentee", $"b-{i}-{Guid.NewGuid():N}@b.example.org", "Hoover"), ct)));
            await Eventually.Until(_ => Task.FromResult(receiver.Of("b-dead").Count), n => n >= 16, "district B's dead receivers to hold their slots", 30);
            var started = DateTimeOffset.UtcNow;
            var enrolmentsA = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
                a.Enrol(programA, DistrictApi.Person("mentee", $"a-{i}-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct)));

            var got = await Arrived(receiver, "a-healthy", r => r.Data.GetProperty("programId").GetGuid() == programA, 12, ct);
            // Timed from the moment Notifications queued each delivery, so a slow way here through Programs and the broker on a
            // busy machine does not count: what is measured is the wait for a slot beside B's hanging attempts.
            var queued = (await Deliveries(a, healthy, ct)).ToDictionary(d => d.GetProperty("resourceId").GetGuid(), d => d.GetProperty("createdAt").GetDateTimeOffset());
            var delays = got.Select(r => (r.At - queued[r.Data.GetProperty("enrolmentId").GetGuid()]).TotalSeconds).Order().ToList();
            // B's attempts that were open while A's went out: each hangs until the sender gives up after 4 s.
            var lastA = got.Max(r => r.At);
            var deadOpen = receiver.Of("b-dead").Count(r => r.At > started - TimeSpan.FromSeconds(4) && r.At <= lastA);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"District A's 12 deliveries beside B's dead receivers, from queued to received: p50 {delays[delays.Count / 2]:0.00} s, max {delays[^1]:0.00} s; " +
                $"{deadOpen} of B's attempts were hanging meanwhile, {receiver.Of("b-dead").Count} B attempts in all, none answered in time.");
            Assert.Equal(12, got.Select(r => r.Data.GetProperty("enrolmentId").GetGuid()).Intersect(enrolmentsA).Count());
            // Were B's hanging attempts holding A's deliveries back, A would wait for a wave of them to give up, up to 4 s; a free
            // slot is taken at once (woken by the queueing, or at the next 0.5 s poll).
            Assert.True(delays[delays.Count / 2] < 1.5, $"District A's median wait for a slot was {delays[delays.Count / 2]:0.00} s beside B's dead receivers.");
            // Each of B's endpoints holds at most 4 attempts at once and the district at most 16 (counted once the first
            // wave has been given up on).
            await Eventually.Until(_ => Task.FromResult(receiver.Of("b-dead").Count), n => n >= 20, "B's second wave of attempts", 30);
            Assert.InRange(receiver.MostHeldAtOnce("b-dead"), 1, 16);
            var stillWaiting = await Deliveries(b, deadHooks[0], ct);
            Assert.Contains(stillWaiting, d => d.GetProperty("status").GetString() is "pending" or "paused");
        }
        finally
        {
            await Remove(a, healthy, ct);
            foreach (var hook in deadHooks)
            {
                await Remove(b, hook, ct);
            }
        }
    }

    [Fact]
    public async Task Bad_registrations_get_the_field_named_and_other_districts_and_keys_without_admin_get_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = new DistrictApi(system.District("demo-a"));
        var b = new DistrictApi(system.District("demo-b"));

        using var noUrl = await a.Http.PostAsJsonAsync("/api/v1/webhooks", new { eventTypes = new[] { Enrolled } }, ct);
        using var badUrl = await a.Http.PostAsJsonAsync("/api/v1/webhooks", new { url = "ftp://hr.example.org/x", eventTypes = new[] { Enrolled } }, ct);
        using var unknownType = await a.Http.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hr.example.org/x", eventTypes = new[] { "match.teleported" } }, ct);
        Assert.Contains("url", (await GatewayKeys.Problem(noUrl, HttpStatusCode.BadRequest, ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains("url", (await GatewayKeys.Problem(badUrl, HttpStatusCode.BadRequest, ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains("eventTypes", (await GatewayKeys.Problem(unknownType, HttpStatusCode.BadRequest, ct)).GetProperty("errors").EnumerateObject().Select(e => e.Name));

        var (hook, secret) = await Register(a, "https://hr.example.org/torace", [Enrolled], ct);
        try
        {
            Assert.StartsWith("whsec_", secret);
            var read = await a.Get($"/api/v1/webhooks/{hook}", ct);
            Assert.Equal(JsonValueKind.Null, read.GetProperty("secret").ValueKind);
            using var otherRead = await b.Http.GetAsync($"/api/v1/webhooks/{hook}", ct);
            using var otherLog = await b.Http.GetAsync($"/api/v1/webhooks/{hook}/deliveries", ct);
            using var otherChange = await b.Http.PutAsJsonAsync($"/api/v1/webhooks/{hook}", new { url = "https://evil.example.org", eventTypes = new[] { Enrolled } }, ct);
            using var otherRemove = await b.Http.DeleteAsync($"/api/v1/webhooks/{hook}", ct);
            Assert.Equal(HttpStatusCode.NotFound, otherRead.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, otherLog.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, otherChange.StatusCode);
            Assert.DoesNotContain((await b.AllItems("/api/v1/webhooks", ct)), h => h.GetProperty("id").GetGuid() == hook);

            var writer = await a.Http.CreateKey($"no-admin-{Guid.NewGuid():N}", ["read", "write"], ct);
            using var plain = system.WithKey(writer.Key);
            using var plainRead = await plain.GetAsync($"/api/v1/webhooks/{hook}", ct);
            using var plainRegister = await plain.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hr.example.org/y", eventTypes = new[] { Enrolled } }, ct);
            Assert.Equal(HttpStatusCode.Forbidden, plainRead.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, plainRegister.StatusCode);
            Assert.Equal(Enrolled, (await a.Get($"/api/v1/webhooks/{hook}", ct)).GetProperty("eventTypes")[0].GetString());
        }
        finally
        {
            await Remove(a, hook, ct);
        }
        using var gone = await a.Http.GetAsync($"/api/v1/webhooks/{hook}", ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task The_public_document_lists_every_event_type_under_x_webhooks()
    {
        var ct = TestContext.Current.CancellationToken;
        var a = new DistrictApi(system.District("demo-a"));
        using var anonymous = new HttpClient { BaseAddress = system.Gateway };
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", ct);
        var catalogue = await a.Http.GetFromJsonAsync<JsonElement>("/api/v1/webhook-event-types", ct);

        var documented = document.GetProperty("x-webhooks").EnumerateObject().Select(w => w.Name).Order().ToList();
        Assert.Equal(catalogue.EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order().ToList(), documented);
        Assert.Contains(Enrolled, documented);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/webhooks", out _));
    }

    static bool Is(ReceivedWebhook r, Guid enrolment) =>
        r.Data.TryGetProperty("enrolmentId", out var id) && id.GetGuid() == enrolment;

    internal static async Task<(Guid Id, string Secret)> Register(DistrictApi api, string url, string[] eventTypes, CancellationToken ct)
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/webhooks", new { url, eventTypes, description = "test receiver" }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Registering a webhook answered {response.StatusCode}: {body}");
        var hook = JsonDocument.Parse(body).RootElement;
        return (hook.GetProperty("id").GetGuid(), hook.GetProperty("secret").GetString()!);
    }

    internal static async Task Remove(DistrictApi api, Guid hook, CancellationToken ct)
    {
        using var response = await api.Http.DeleteAsync($"/api/v1/webhooks/{hook}", ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    static async Task<List<JsonElement>> Deliveries(DistrictApi api, Guid hook, CancellationToken ct) =>
        [.. await api.AllItems($"/api/v1/webhooks/{hook}/deliveries", ct)];

    static Task<JsonElement> Delivery(DistrictApi api, Guid hook, Guid delivery, CancellationToken ct) =>
        api.Get($"/api/v1/webhooks/{hook}/deliveries/{delivery}", ct);

    static async Task<JsonElement> DeliveryOf(DistrictApi api, Guid hook, Guid enrolment, CancellationToken ct) =>
        (await Deliveries(api, hook, ct)).SingleOrDefault(d => d.GetProperty("resourceId").GetGuid() == enrolment);

    /// <summary>Waits until the receiver got at least <paramref name="count"/> requests that match; answers them in the order they came.</summary>
    static Task<List<ReceivedWebhook>> Arrived(WebhookReceiver receiver, string name, Func<ReceivedWebhook, bool> match, int count, CancellationToken ct, int seconds = 45) =>
        Eventually.Until(_ => Task.FromResult(receiver.Of(name).Where(match).OrderBy(r => r.At).ToList()), l => l.Count >= count,
            $"{count} webhook requests at {name}", seconds);
}

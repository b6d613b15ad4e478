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
        var registered = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (hook, secret) = await Register(a, receiver.Url("hr"), [Enrolled], ct);
        try
        {
            var program = await a.CreateOpenProgram($"Webhooks {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            var enrolment = await a.Enrol(program, DistrictApi.Person("mentee", $"wh-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct);
            // Another person's enrolment: a delivery of its own (the bulk replay below sends both again).
            var other = await a.Enrol(program, DistrictApi.Person("mentee", $"other-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct);

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

            // A replay of all since a moment (not only the failed ones) sends every delivery the endpoint had since then again, each
            // with its webhook-id.
            // (The endpoint hears other test classes' enrolments in demo-a too: only this test's two are counted.)
            static bool Ours(JsonElement d, Guid[] ids) => ids.Contains(d.GetProperty("resourceId").GetGuid());
            Guid[] ours = [enrolment, other];
            await Eventually.Until(t => Deliveries(a, hook, t), d => d.Count(x => Ours(x, ours) && x.GetProperty("status").GetString() == "delivered") == 2,
                "both enrolments' deliveries to be delivered", 30);
            using var many = await a.Http.PostAsJsonAsync($"/api/v1/webhooks/{hook}/replay", new { since = registered, onlyFailed = false }, ct);
            Assert.Equal(HttpStatusCode.Accepted, many.StatusCode);
            Assert.True((await many.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("replayed").GetInt32() >= 2);
            var again = await Arrived(receiver, "hr", r => Is(r, enrolment) || Is(r, other), 5, ct);
            Assert.Equal(3, again.Count(r => r.WebhookId == hit.WebhookId));
            Assert.Equal(2, again.Count(r => Is(r, other)));
            Assert.Single(again.Where(r => Is(r, other)).Select(r => r.WebhookId).Distinct());
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
    public async Task An_endpoint_that_never_answers_holds_at_most_four_attempts_at_once_and_one_once_it_is_failing()
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
            // Once one has failed the endpoint is probed one attempt at a time: the wave after the first is one.
            // (Six requests: the tests' endpoints are disabled after 6 failures over 15 s, which a smaller first wave reaches sooner.)
            await Eventually.Until(_ => Task.FromResult(receiver.Of("slow").Count), n => n >= 6, "the first wave of attempts and the probes after it", 45);
            // At least two at once (the cap is not one), never more than four (on a busy machine the first claims may come apart).
            Assert.InRange(receiver.MostHeldAtOnce("slow"), 2, 4);
            var probesFrom = receiver.Of("slow").OrderBy(r => r.At).ElementAt(4).At;
            // The fifth, a probe, is held until the sender gives up on it; until then nothing else was sent to the endpoint.
            Assert.Equal(1, await Eventually.Until(_ => Task.FromResult(receiver.MostHeldAtOnce("slow", since: probesFrom)), n => n >= 1,
                "the first probe to be given up on", 15));
        }
        finally
        {
            await Remove(a, hook, ct);
        }
    }

    [Fact]
    public async Task Dead_receivers_of_another_district_or_of_its_own_do_not_delay_a_districts_receiver_that_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await WebhookReceiver.Start(ct);
        var a = new DistrictApi(system.District("demo-a"));
        var b = new DistrictApi(system.District("demo-b"));
        var (healthy, _) = await Register(a, receiver.Url("a-healthy"), [Enrolled], ct);
        var deadHooks = new List<(DistrictApi Api, Guid Id)>();
        try
        {
            // First with nothing failing: the baseline of A's delays on this machine, now.
            var alone = await DelaysOfTwelve(receiver, a, healthy, "alone", ct);

            // Then district B's four endpoints and five of A's own never answer in time: every attempt holds its slot for the
            // whole 4 s timeout. B's 30 enrolments queue 120 deliveries, more than B's share of 16; A's 10 queue 50 to its own
            // dead ones, more than A's share of 16.
            receiver.Answer("b-dead", _ => null);
            receiver.Answer("a-dead", _ => null);
            for (var i = 0; i < 4; i++)
            {
                deadHooks.Add((b, (await Register(b, receiver.Url("b-dead"), [Enrolled], ct)).Id));
            }
            for (var i = 0; i < 5; i++)
            {
                deadHooks.Add((a, (await Register(a, receiver.Url("a-dead"), [Enrolled], ct)).Id));
            }
            var programB = await b.CreateOpenProgram($"Dead receivers {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            var programA = await a.CreateOpenProgram($"Dead receivers of A {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
            await Task.WhenAll(Enumerable.Range(0, 30).Select(i => b.Enrol(programB, DistrictApi.Person("mentee", $"b-{i}-{Guid.NewGuid():N}@b.example.org", "Hoover"), ct))
                .Concat(Enumerable.Range(0, 10).Select(i => a.Enrol(programA, DistrictApi.Person("mentee", $"ad-{i}-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct))));
            // Every dead endpoint has had an attempt fail: from here on each is probed one attempt at a time.
            foreach (var (api, hook) in deadHooks)
            {
                await Eventually.Until(t => Deliveries(api, hook, t), all => all.Any(d => d.GetProperty("attempts").GetInt32() >= 1),
                    "every dead endpoint's first attempt to fail", 45);
            }
            // Attempts claimed before their endpoint's first failure was recorded still count in their district's share until
            // they are given up on: one attempt timeout (4 s) later, every dead endpoint holds only its probe.
            await Task.Delay(TimeSpan.FromSeconds(4.5), ct);
            var started = DateTimeOffset.UtcNow;
            var beside = await DelaysOfTwelve(receiver, a, healthy, "beside dead receivers", ct);

            var deadOpen = receiver.Of("b-dead").Concat(receiver.Of("a-dead")).Count(r => r.At > started - TimeSpan.FromSeconds(4));
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"District A's 12 deliveries from queued to received: alone p50 {alone[5]:0.00} s, max {alone[^1]:0.00} s; beside nine dead receivers " +
                $"(B's four, A's own five) p50 {beside[5]:0.00} s, max {beside[^1]:0.00} s; {deadOpen} dead attempts began meanwhile or just before, none answered.");
            // Were the dead receivers' attempts holding A's deliveries back, A would wait for a wave of them to give up (4 s); a
            // free slot is taken at once (woken by the queueing, or at the next 0.5 s poll).
            Assert.True(beside[5] < 1.5, $"District A's median wait beside dead receivers was {beside[5]:0.00} s (alone {alone[5]:0.00} s).");
            Assert.True(beside[^1] < alone[^1] + 2.5, $"District A's longest wait beside dead receivers was {beside[^1]:0.00} s (alone {alone[^1]:0.00} s).");
            // The first wave: each dead endpoint at most 4 at once, B at most its 16.
            Assert.InRange(receiver.MostHeldAtOnce("b-dead"), 1, 16);
            Assert.Contains(await Deliveries(b, deadHooks[0].Id, ct), d => d.GetProperty("status").GetString() is "pending" or "paused");
        }
        finally
        {
            await Remove(a, healthy, ct);
            foreach (var (api, hook) in deadHooks)
            {
                await Remove(api, hook, ct);
            }
        }
    }

    /// <summary>
    /// Enrols twelve people into a new program of <paramref name="api"/>'s and answers how long each of their deliveries to
    /// <paramref name="hook"/> took from the moment Notifications queued it (so the trip through Programs and the broker on a
    /// busy machine does not count) to the receiver, in seconds, shortest first.
    /// </summary>
    async Task<List<double>> DelaysOfTwelve(WebhookReceiver receiver, DistrictApi api, Guid hook, string name, CancellationToken ct)
    {
        var program = await api.CreateOpenProgram($"Healthy receiver, {name} {Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddDays(10), ct);
        var enrolments = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            api.Enrol(program, DistrictApi.Person("mentee", $"h-{i}-{Guid.NewGuid():N}@a.example.org", "Lincoln"), ct)));
        var got = await Arrived(receiver, "a-healthy", r => r.Data.GetProperty("programId").GetGuid() == program, 12, ct);
        Assert.Equal(12, got.Select(r => r.Data.GetProperty("enrolmentId").GetGuid()).Intersect(enrolments).Count());
        var queued = (await Deliveries(api, hook, ct)).Where(d => enrolments.Contains(d.GetProperty("resourceId").GetGuid()))
            .ToDictionary(d => d.GetProperty("resourceId").GetGuid(), d => d.GetProperty("createdAt").GetDateTimeOffset());
        return [.. got.Select(r => (r.At - queued[r.Data.GetProperty("enrolmentId").GetGuid()]).TotalSeconds).Order()];
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

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Notifications;
using Torace.Contracts.Scheduling;
using Torace.IntegrationTests.Fixture;
using Torace.Notifications.Deliveries;
using Torace.Platform.Messaging;

namespace Torace.IntegrationTests.Services;

/// <summary>
/// Notifications alone, on its own database and virtual host, sending through <see cref="TestMailServer"/>: an email the
/// mail server refuses for good, or cannot take for as long as redelivery lasts, is recorded as failed, said so
/// (<see cref="NotificationFailed"/>), listed, and sent again on a coordinator's resend, once.
/// </summary>
public sealed class FailedEmailTests(ToraceSystem system) : IAsyncLifetime
{
    readonly TestMailServer mail = TestMailServer.Start();
    IsolatedService<DeliveryLog> notifications = null!;

    public async ValueTask InitializeAsync()
    {
        notifications = new(system, "notifications", new Dictionary<string, string> { ["ConnectionStrings:mail"] = mail.Address.ToString() });
        await notifications.Prepare(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await notifications.DisposeAsync();
        await mail.DisposeAsync();
    }

    [Fact]
    public async Task A_refused_recipient_is_failed_and_said_so_the_others_get_theirs_and_a_resend_sends_it_once_it_is_taken()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..8];
        var bounce = $"gone.{run}@a.example.org";
        mail.Recipient = to => to == bounce ? $"550 5.1.1 <{to}>: mailbox unavailable" : null;
        var (bus, failures) = await HearFailures(ct);
        try
        {
            var api = notifications.District("demo-a");
            var mentee = new Participant(Guid.NewGuid(), "Gail Gone", bounce, "Roosevelt", "UTC");
            var match = Match(run, mentee);
            var messageId = NewId.NextGuid();
            await bus.Publish(match, c => c.MessageId = messageId, ct);

            var log = await Eventually.Until(t => Notifications(api, match.ProgramId, "", t), l => l.Count == 2, "the mentor's email sent and the mentee's failed");
            var mentor = Assert.Single(log, n => n.GetProperty("recipient").GetString() == match.Mentor.Email);
            Assert.Equal("sent", mentor.GetProperty("status").GetString());
            Assert.False(mentor.GetProperty("canResend").GetBoolean());
            var failed = Assert.Single(log, n => n.GetProperty("recipient").GetString() == bounce);
            Assert.Equal("failed", failed.GetProperty("status").GetString());
            Assert.Equal("rejected", failed.GetProperty("reason").GetString());
            Assert.StartsWith("550", failed.GetProperty("error").GetString());
            Assert.True(failed.GetProperty("canResend").GetBoolean());
            Assert.Equal(1, mail.AcceptedFor(match.Mentor.Email));
            Assert.Equal(0, mail.AcceptedFor(bounce));

            var told = await Eventually.Until(_ => Task.FromResult(failures.ToList()), f => f.Count >= 1, "NotificationFailed");
            Assert.Equal(mentee.EnrolmentId, Assert.Single(told).RecipientId);
            Assert.Equal("rejected", told[0].Reason);
            var id = failed.GetProperty("id").GetGuid();
            Assert.Equal(id, told[0].NotificationId);
            Assert.Equal([id], (await Notifications(api, match.ProgramId, "&status=failed", ct)).Select(n => n.GetProperty("id").GetGuid()));
            using (var badStatus = await api.GetAsync($"/api/v1/programs/{match.ProgramId}/notifications?status=bounced", ct))
            {
                Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
                Assert.True((await badStatus.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("errors").TryGetProperty("status", out _));
            }

            // Refused again: the coordinator is told so, and the log counts it.
            using (var again = await Resend(api, match.ProgramId, id, ct))
            {
                Assert.Equal(HttpStatusCode.BadGateway, again.StatusCode);
                Assert.Contains("550", (await again.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("detail").GetString());
            }
            Assert.Equal(2, (await Notifications(api, match.ProgramId, "&status=failed", ct))[0].GetProperty("failures").GetInt32());

            // The mail server is busy: the coordinator is told to come back, and nothing is recorded.
            mail.Recipient = _ => "451 4.3.2 Try again later";
            using (var busy = await Resend(api, match.ProgramId, id, ct))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
                Assert.NotNull(busy.Headers.RetryAfter);
            }
            Assert.Equal(2, (await Notifications(api, match.ProgramId, "&status=failed", ct))[0].GetProperty("failures").GetInt32());

            // The mailbox is back: the resend sends the email as it was composed, once.
            mail.Recipient = _ => null;
            using (var resent = await Resend(api, match.ProgramId, id, ct))
            {
                Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
                var body = await resent.Content.ReadFromJsonAsync<JsonElement>(ct);
                Assert.Equal("sent", body.GetProperty("status").GetString());
                Assert.False(body.GetProperty("canResend").GetBoolean());
                Assert.NotNull(body.GetProperty("resentBy").GetString());
            }
            Assert.Equal(1, mail.AcceptedFor(bounce));
            Assert.Contains(run, mail.Accepted.Single(m => m.To == bounce).Data);
            // Its Message-ID is the delivery's, the same on every send of it.
            Assert.Contains($"Message-Id: <{id:N}@", mail.Accepted.Single(m => m.To == bounce).Data, StringComparison.OrdinalIgnoreCase);
            using (var twice = await Resend(api, match.ProgramId, id, ct))
            {
                Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            }
            // The same match delivered again (a redelivery, a replay) sends nothing new, to either of them.
            await bus.Publish(match, c => c.MessageId = messageId, ct);
            await Eventually.Until(t => Notifications(api, match.ProgramId, "&status=sent", t), l => l.Count == 2, "both sent");
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            Assert.Equal(1, mail.AcceptedFor(bounce));
            Assert.Equal(1, mail.AcceptedFor(match.Mentor.Email));

            // Another program's id, or an id that is no delivery: 404.
            using (var elsewhere = await Resend(api, Guid.NewGuid(), id, ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
            }
            using (var unknown = await Resend(api, match.ProgramId, Guid.NewGuid(), ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            }
            // Another district sees none of it.
            var other = notifications.District("demo-b");
            Assert.Empty(await Notifications(other, match.ProgramId, "", ct));
            using (var foreign = await Resend(other, match.ProgramId, id, ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
            }
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_busy_mail_server_is_retried_before_the_bound_and_makes_the_email_failed_on_the_last_try_instead_of_dead_lettering_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = Guid.NewGuid().ToString("N")[..8];
        mail.Recipient = _ => "451 4.3.2 Try again later";
        var (bus, failures) = await HearFailures(ct);
        try
        {
            var api = notifications.District("demo-a");
            var early = Reminder(run, "early");
            var last = Reminder(run, "last");
            // As if the broker brought it back for the last time: 32 minutes of redelivery are over.
            await bus.Publish(last, c =>
            {
                c.MessageId = NewId.NextGuid();
                c.Headers.Set(WaitQueues.RedeliveryHeader, RedeliverySchedule.Waits.Count);
            }, ct);
            await bus.Publish(early, c => c.MessageId = NewId.NextGuid(), ct);

            var failed = Assert.Single(await Eventually.Until(t => Notifications(api, last.ProgramId, "", t), l => l.Count == 1, "the last try's failure"));
            Assert.Equal("failed", failed.GetProperty("status").GetString());
            Assert.Equal("unreachable", failed.GetProperty("reason").GetString());
            Assert.Contains("32 minutes", failed.GetProperty("error").GetString());
            var told = await Eventually.Until(_ => Task.FromResult(failures.ToList()), f => f.Count >= 1, "NotificationFailed");
            Assert.Equal("unreachable", Assert.Single(told).Reason);
            Assert.Equal(last.Recipients[0].EnrolmentId, told[0].RecipientId);

            // The first try's email is not failed: it waits in the broker and goes out once the server takes mail again.
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            Assert.Empty(await Notifications(api, early.ProgramId, "", ct));
            mail.Recipient = _ => null;
            var sent = Assert.Single(await Eventually.Until(t => Notifications(api, early.ProgramId, "", t), l => l.Count == 1, "the redelivered reminder", 60));
            Assert.Equal("sent", sent.GetProperty("status").GetString());
            Assert.Equal(1, mail.AcceptedFor(early.Recipients[0].Email));
            Assert.Single(failures);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A bus on the service's virtual host (to publish on) that keeps every NotificationFailed it hears.</summary>
    async Task<(IBusControl Bus, ConcurrentQueue<NotificationFailed> Failures)> HearFailures(CancellationToken ct)
    {
        var failures = new ConcurrentQueue<NotificationFailed>();
        var bus = await notifications.Listen(e => e.Handler<NotificationFailed>(c =>
        {
            failures.Enqueue(c.Message);
            return Task.CompletedTask;
        }), ct);
        return (bus, failures);
    }

    static MatchProposed Match(string run, Participant mentee) =>
        new("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), $"Failed email {run}",
            new Participant(Guid.NewGuid(), "Mo Mentor", $"mo.{run}@a.example.org", "Lincoln", "UTC"), [mentee],
            [new SessionPlan(1, "virtual", null)], false, false, [], new MatchMessage("Welcome", null), 1, [], DateTimeOffset.UtcNow);

    static TouchpointDue Reminder(string run, string name) =>
        new("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "pre-reflection", null, DateTimeOffset.UtcNow, $"Busy mail {run}",
            [new Participant(Guid.NewGuid(), "Ria Reminded", $"{name}.{run}@a.example.org", "Lincoln", "UTC")]);

    static async Task<List<JsonElement>> Notifications(HttpClient api, Guid programId, string query, CancellationToken ct)
    {
        var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/programs/{programId}/notifications?limit=500{query}", ct);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    static Task<HttpResponseMessage> Resend(HttpClient api, Guid programId, Guid notificationId, CancellationToken ct) =>
        api.PostAsync($"/api/v1/programs/{programId}/notifications/{notificationId}/resend", null, ct);
}

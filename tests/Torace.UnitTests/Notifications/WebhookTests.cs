using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Notifications;
using Torace.Contracts.Programs;
using Torace.Notifications.Webhooks;
using Torace.Platform.Api;

namespace Torace.UnitTests.Notifications;

/// <summary>Signing as Standard Webhooks says, the catalogue's payloads, the retry schedule and the address rule.</summary>
public class WebhookSigningTests
{
    [Fact]
    public void The_signature_matches_the_specifications_published_example()
    {
        // The example of the Standard Webhooks reference libraries.
        var signature = WebhookSignature.Sign(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void A_delivery_verifies_with_the_StandardWebhooks_library_and_a_changed_body_does_not()
    {
        var secret = WebhookSignature.NewSecret();
        var id = WebhookSignature.MessageId(Guid.NewGuid());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string body = """{"type":"match.published","version":1,"timestamp":"2026-12-07T08:00:00+00:00","data":{}}""";
        var headers = new HeaderDictionary
        {
            [WebhookSignature.IdHeader] = id,
            [WebhookSignature.TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [WebhookSignature.SignatureHeader] = WebhookSignature.Sign([secret], id, timestamp, body),
        };

        new StandardWebhook(secret).Verify(body, headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(body.Replace("match", "patch"), headers));
    }

    [Fact]
    public void While_a_rotated_secret_overlaps_both_secrets_verify_and_after_it_only_the_new_one()
    {
        var now = new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
        var (old, fresh) = (WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
        var endpoint = WebhookEndpoint.Create(new WebhookRegistered(Guid.NewGuid(), "https://hr.example.org/hooks", ["match.published"], old, null, now))
            .Apply(new WebhookSecretRotated(Guid.NewGuid(), fresh, now + WebhookDecisions.SecretOverlap, now));
        const string id = "msg_1";
        const string body = "{}";

        var during = WebhookSignature.Sign(endpoint.SigningSecrets(now.AddHours(1)), id, 1, body);
        var after = WebhookSignature.Sign(endpoint.SigningSecrets(now.AddHours(25)), id, 1, body);

        Assert.Equal(2, during.Split(' ').Length);
        Assert.Contains(WebhookSignature.Sign([old], id, 1, body), during.Split(' '));
        Assert.Equal(WebhookSignature.Sign([fresh], id, 1, body), after);
    }

    [Fact]
    public void A_payload_carries_ids_and_facts_but_never_a_persons_name_or_email()
    {
        var mentor = new Participant(Guid.NewGuid(), "Maria Lopez", "maria@a.example.org", "Lincoln", "America/Chicago");
        var mentee = new Participant(Guid.NewGuid(), "Sam Lee", "sam@a.example.org", "Hoover", "America/Chicago");
        var match = new MatchProposed("demo-a", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "SEL", mentor, [mentee], [], false, false, [],
            new MatchMessage("Welcome", null), 0.9, [], DateTimeOffset.UtcNow);
        var enrolled = new ParticipantEnrolled("demo-a", Guid.NewGuid(), mentee.EnrolmentId, "mentee", "T-1001", mentee.Name, mentee.Email, "Hoover",
            ["sel"], "virtual", "America/Chicago", 0, DateTimeOffset.UtcNow);

        var failed = new NotificationFailed("demo-a", match.ProgramId, Guid.NewGuid(), Guid.NewGuid(), "match", mentee.Email,
            "550 5.1.1 <sam@a.example.org>: mailbox unavailable", DateTimeOffset.UtcNow, mentee.EnrolmentId, "rejected");

        foreach (var message in new object[] { match, enrolled, failed })
        {
            var e = WebhookCatalogue.From(message)!;
            var json = JsonSerializer.Serialize(new WebhookPayload(e.Type, 1, e.OccurredAt, e.Data), JsonSerializerOptions.Web);
            Assert.DoesNotContain("@a.example.org", json);
            Assert.DoesNotContain("Sam Lee", json);
            Assert.DoesNotContain("Maria", json);
        }
        Assert.Equal(match.MatchId, WebhookCatalogue.From(match)!.ResourceId);
        Assert.Equal(mentee.EnrolmentId, WebhookCatalogue.From(enrolled)!.ResourceId);
        Assert.Contains("\"externalId\":\"T-1001\"", JsonSerializer.Serialize(WebhookCatalogue.From(enrolled)!.Data, WebhookCatalogue.From(enrolled)!.Data.GetType(), JsonSerializerOptions.Web));
    }

    [Fact]
    public void Every_catalogued_type_has_a_payload_schema_in_the_document()
    {
        var document = WebhookSetup.Document();

        Assert.Equal(WebhookCatalogue.Names.Order(StringComparer.Ordinal), document.Select(w => w.Key).Order(StringComparer.Ordinal));
        Assert.All(WebhookCatalogue.Types, t => Assert.NotNull(document[t.Name]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["properties"]!["data"]!["properties"]));
        // OpenAPI 3.0: one type per schema, null said with "nullable", numbers as numbers.
        var text = document.ToJsonString();
        Assert.DoesNotContain("\"type\":[", text);
        Assert.Contains("\"nullable\":true", text);
        Assert.Contains("\"round\":{\"type\":\"integer\"", text);
    }

    [Fact]
    public void Retries_wait_four_times_longer_each_time_up_to_the_longest_wait()
    {
        var options = new WebhookOptions { FirstRetry = TimeSpan.FromSeconds(5), LongestWait = TimeSpan.FromHours(6) };

        Assert.Equal(TimeSpan.FromSeconds(5), options.WaitAfter(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(20), options.WaitAfter(2, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(80), options.WaitAfter(3, 0.5));
        Assert.Equal(TimeSpan.FromHours(6), options.WaitAfter(12, 0.5));
        Assert.InRange(options.WaitAfter(1, 0), TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(4.5));
        Assert.InRange(options.WaitAfter(1, 1), TimeSpan.FromSeconds(5.5), TimeSpan.FromSeconds(5.5));
        // Within a day of retries: at least ten attempts before the window closes.
        var elapsed = TimeSpan.Zero;
        var attempts = 1;
        while (elapsed + options.WaitAfter(attempts, 0.5) <= TimeSpan.FromHours(24))
        {
            elapsed += options.WaitAfter(attempts++, 0.5);
        }
        Assert.InRange(attempts, 10, 14);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("::a00:1", false)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)]
    [InlineData("64:ff9b::808:808", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    public void Only_public_addresses_may_receive_webhooks_outside_development(string address, bool allowed) =>
        Assert.Equal(allowed, WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://hr.example.org/hooks", "https")]
    [InlineData("https://localhost/hooks", "loopback")]
    [InlineData("https://127.0.0.1:8443/hooks", "loopback")]
    [InlineData("https://[::1]/hooks", "loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data", "loopback")]
    public void Registration_refuses_plain_http_and_private_addresses_outside_development(string url, string said)
    {
        Assert.Contains(said, new WebhookAddresses(allowPrivate: false).Refusal(new Uri(url)));
        Assert.Null(new WebhookAddresses(allowPrivate: true).Refusal(new Uri(url)));
        Assert.Null(new WebhookAddresses(allowPrivate: false).Refusal(new Uri("https://hr.example.org/hooks")));
    }

    [Fact]
    public async Task A_name_that_resolves_to_this_machine_is_refused_when_connecting_outside_development()
    {
        // A receiver on this machine, reached by a name (registration lets a name through; the connection judges the address it resolves to).
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answering = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            await using var stream = client.GetStream();
            using var request = new StreamReader(stream, leaveOpen: true);
            while (!string.IsNullOrEmpty(await request.ReadLineAsync(TestContext.Current.CancellationToken)))
            {
                // the request line and headers; the request has no body
            }
            await stream.WriteAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);

        static HttpClient Client(bool allowPrivate) => new(new SocketsHttpHandler { UseProxy = false, ConnectCallback = new WebhookAddresses(allowPrivate).Connect });
        var url = $"http://localhost:{port}/hooks";
        using var production = Client(allowPrivate: false);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => production.PostAsync(url, null, TestContext.Current.CancellationToken));
        Assert.Contains("resolves only to addresses webhooks may not be sent to", refused.Message + refused.InnerException?.Message);
        using var development = Client(allowPrivate: true);
        using var answer = await development.PostAsync(url, null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        await answering;
    }
}

/// <summary>Given an endpoint / When it is changed, rotated, disabled, enabled or removed / Then these events, or a refusal.</summary>
public class WebhookDecisionTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    static WebhookEndpoint Given(params object[] after)
    {
        var endpoint = WebhookEndpoint.Create(new WebhookRegistered(Guid.NewGuid(), "https://hr.example.org/hooks", ["match.published"], "whsec_AAAA", "HR", Now));
        foreach (var e in after)
        {
            endpoint = e switch
            {
                WebhookDisabled d => endpoint.Apply(d),
                WebhookRemoved r => endpoint.Apply(r),
                _ => throw new ArgumentException(e.GetType().Name),
            };
        }
        return endpoint;
    }

    [Fact]
    public void A_change_to_the_same_values_changes_nothing_and_another_records_them()
    {
        var endpoint = Given();

        Assert.Empty(WebhookDecisions.Change(endpoint, endpoint.Url, endpoint.EventTypes, endpoint.Description, Now));
        var changed = Assert.IsType<WebhookChanged>(Assert.Single(WebhookDecisions.Change(endpoint, "https://hr.example.org/v2", ["match.declined"], null, Now)));
        Assert.Equal(["match.declined"], endpoint.Apply(changed).EventTypes);
    }

    [Fact]
    public void An_enabled_endpoint_is_disabled_once_with_its_reason_and_enabling_it_clears_the_reason()
    {
        var disabled = Assert.IsType<WebhookDisabled>(Assert.Single(WebhookDecisions.Disable(Given(), "20 attempts in a row failed", Now)));
        var endpoint = Given(disabled);

        Assert.Equal(WebhookStatus.Disabled, endpoint.Status);
        Assert.Equal("20 attempts in a row failed", endpoint.DisabledReason);
        Assert.Equal("https://hr.example.org/hooks", disabled.Url);
        Assert.Empty(WebhookDecisions.Disable(endpoint, "again", Now));
        var enabled = endpoint.Apply(Assert.IsType<WebhookEnabled>(Assert.Single(WebhookDecisions.Enable(endpoint, Now))));
        Assert.True(enabled.IsEnabled);
        Assert.Null(enabled.DisabledReason);
        Assert.Empty(WebhookDecisions.Enable(enabled, Now));
    }

    [Fact]
    public void A_removed_endpoint_cannot_be_changed_enabled_or_rotated_and_removing_it_again_changes_nothing()
    {
        var removed = Given(new WebhookRemoved(Guid.NewGuid(), Now));

        Assert.Equal(RejectionKind.NotFound, Assert.Throws<Rejected>(() => WebhookDecisions.Change(removed, "https://x.example.org", ["match.published"], null, Now)).Kind);
        Assert.Equal(RejectionKind.NotFound, Assert.Throws<Rejected>(() => WebhookDecisions.Enable(removed, Now)).Kind);
        Assert.Equal(RejectionKind.NotFound, Assert.Throws<Rejected>(() => WebhookDecisions.RotateSecret(removed, "whsec_BBBB", Now)).Kind);
        Assert.Empty(WebhookDecisions.Remove(removed, Now));
        Assert.Empty(WebhookDecisions.Disable(removed, "failing", Now));
    }
}

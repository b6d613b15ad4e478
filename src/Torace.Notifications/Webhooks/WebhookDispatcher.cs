using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Timeout;

namespace Torace.Notifications.Webhooks;

/// <summary>How webhooks are sent, retried and given up on (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failed attempt; each next wait is four times longer, up to <see cref="LongestWait"/>.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan LongestWait { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a delivery is retried before it counts as failed (it can still be replayed).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An endpoint whose attempts failed this many times in a row, over at least <see cref="DisableAfter"/>, is disabled.</summary>
    public int DisableAfterFailures { get; set; } = 20;

    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Attempts in flight at once on this instance, per endpoint, and per district.</summary>
    public int InFlight { get; set; } = 64;

    public int InFlightPerEndpoint { get; set; } = 4;

    public int InFlightPerDistrict { get; set; } = 16;

    /// <summary>
    /// Attempts in flight at once on this instance to failing endpoints (those whose last attempt failed), one each (per
    /// instance): by default a quarter of <see cref="InFlight"/>'s 64, so receivers that answer always keep the rest.
    /// </summary>
    public int InFlightFailing { get; set; } = 16;

    /// <summary>How often the dispatcher looks for due retries when nothing wakes it.</summary>
    public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether http and loopback or private addresses may be used (Development's default; never in production).</summary>
    public bool? AllowPrivateAddresses { get; set; }

    /// <summary>The wait before the attempt after <paramref name="failed"/> failed ones, with up to a tenth more or less so retries spread.</summary>
    public TimeSpan WaitAfter(int failed, double jitter)
    {
        var wait = FirstRetry.TotalMilliseconds * Math.Pow(4, Math.Max(0, failed - 1));
        var capped = Math.Min(wait, LongestWait.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.9 + 0.2 * jitter));
    }
}

/// <summary>
/// Sends webhook deliveries: claims what is due (leased, so a crashed instance's claims come back), sends each on its own
/// task within per-endpoint and per-district shares of the slots, records every attempt, retries with growing waits for
/// <see cref="WebhookOptions.RetryFor"/>, and disables an endpoint that keeps failing. A slow or dead receiver ties up at
/// first its endpoint's few slots and, once an attempt has failed, one slot in the failing endpoints' pool, each for at most
/// the attempt timeout: never a slot of a receiver that answers, in its own district or another.
/// </summary>
public sealed class WebhookDispatcher(
    NpgsqlDataSource database, IDocumentStore store, IHttpClientFactory http, IOptions<WebhookOptions> settings, TimeProvider clock,
    ILogger<WebhookDispatcher> log) : BackgroundService
{
    public const string ClientName = "webhooks";
    static readonly ActivitySource Source = new("Torace");

    readonly SemaphoreSlim wake = new(0, 1);
    readonly ConcurrentDictionary<Guid, int> perEndpoint = new();
    readonly ConcurrentDictionary<string, int> perDistrict = new(StringComparer.Ordinal);
    int inFlight;
    int failingInFlight;

    WebhookOptions Options => settings.Value;

    /// <summary>Something was queued or enabled: look now rather than at the next poll.</summary>
    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new ConcurrentDictionary<Task, bool>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var room = Options.InFlight - Volatile.Read(ref inFlight);
            var full = false;
            if (room > 0)
            {
                try
                {
                    var claimed = await Claim(room, stoppingToken);
                    full = claimed.Count == room;
                    foreach (var delivery in claimed)
                    {
                        Take(delivery);
                        var task = Task.Run(() => Attempt(delivery, stoppingToken), CancellationToken.None);
                        running[task] = true;
                        _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
                    }
                    // Claim again at once while there may be more than this claim took.
                    if (claimed.Count > 0 && !full)
                    {
                        continue;
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning(e, "Could not claim webhook deliveries; trying again shortly");
                }
            }
            try
            {
                await wake.WaitAsync(full ? TimeSpan.FromMilliseconds(50) : Options.Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(running.Keys);
    }

    Task<IReadOnlyList<ClaimedDelivery>> Claim(int room, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var shares = new ClaimShares(perEndpoint.Where(e => e.Value > 0).ToDictionary(), perDistrict.Where(d => d.Value > 0).ToDictionary(),
            Volatile.Read(ref failingInFlight), Options.InFlightPerEndpoint, Options.InFlightPerDistrict, Math.Max(1, Options.InFlightFailing));
        // A lease outlasts an attempt by far, so only a crashed instance's claims come back to be sent again.
        return WebhookQueue.Claim(database, now, shares, room, now + 3 * Options.AttemptTimeout + TimeSpan.FromSeconds(30), ct);
    }

    void Take(ClaimedDelivery delivery)
    {
        Interlocked.Increment(ref inFlight);
        perEndpoint.AddOrUpdate(delivery.EndpointId, 1, (_, n) => n + 1);
        if (delivery.Failing)
        {
            Interlocked.Increment(ref failingInFlight);
        }
        else
        {
            perDistrict.AddOrUpdate(delivery.TenantId, 1, (_, n) => n + 1);
        }
    }

    void Release(ClaimedDelivery delivery)
    {
        perEndpoint.AddOrUpdate(delivery.EndpointId, 0, (_, n) => n - 1);
        if (delivery.Failing)
        {
            Interlocked.Decrement(ref failingInFlight);
        }
        else
        {
            perDistrict.AddOrUpdate(delivery.TenantId, 0, (_, n) => n - 1);
        }
        Interlocked.Decrement(ref inFlight);
        Wake();
    }

    async Task Attempt(ClaimedDelivery delivery, CancellationToken ct)
    {
        try
        {
            WebhookEndpoint? endpoint;
            await using (var session = store.QuerySession(delivery.TenantId))
            {
                endpoint = await session.LoadAsync<WebhookEndpoint>(delivery.EndpointId, ct);
            }
            if (endpoint is not { IsEnabled: true })
            {
                await WebhookQueue.Park(database, delivery.Id, endpoint?.Status == WebhookStatus.Disabled ? DeliveryStatus.Paused : DeliveryStatus.Cancelled, ct);
                return;
            }
            var outcome = await Send(endpoint, delivery, ct);
            var now = clock.GetUtcNow();
            var retryAt = now + Options.WaitAfter(delivery.Attempts + 1, Random.Shared.NextDouble());
            var run = await WebhookQueue.Record(database, delivery, outcome, now, retryAt, ct);
            if (run is { } failing && failing.Failures >= Options.DisableAfterFailures && now - failing.FailingSince >= Options.DisableAfter)
            {
                await Disable(delivery, failing, now, ct);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The lease brings the delivery back: nothing is lost, at worst it is sent again with the same webhook-id.
            log.LogWarning(e, "Webhook delivery {DeliveryId} could not be attempted or recorded; it is tried again when its lease ends", delivery.Id);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Release(delivery);
        }
    }

    async Task<AttemptOutcome> Send(WebhookEndpoint endpoint, ClaimedDelivery delivery, CancellationToken ct)
    {
        using var activity = Source.StartActivity($"webhook {delivery.EventType}", ActivityKind.Producer);
        var messageId = WebhookSignature.MessageId(delivery.Id);
        var now = clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, messageId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(endpoint.SigningSecrets(now), messageId, timestamp, delivery.Payload));
        request.Headers.UserAgent.ParseAdd("Torace-Webhooks/1");
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            activity?.SetTag("http.response.status_code", code);
            return response.IsSuccessStatusCode
                ? new AttemptOutcome(true, code, null, watch.Elapsed)
                : new AttemptOutcome(false, code, $"The receiver answered {code} {response.ReasonPhrase}.", watch.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var error = e is TimeoutRejectedException or TaskCanceledException
                ? $"No answer within {Options.AttemptTimeout.TotalSeconds:0.#} s."
                : e.Message;
            activity?.SetStatus(ActivityStatusCode.Error, error);
            return new AttemptOutcome(false, null, error, watch.Elapsed);
        }
    }

    async Task Disable(ClaimedDelivery delivery, (DateTimeOffset FailingSince, int Failures) run, DateTimeOffset now, CancellationToken ct)
    {
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{run.Failures} attempts in a row failed since {run.FailingSince:u}; enable it again once the receiver answers.");
        // Another instance disabling it at the same moment wins the append; the next failure here finds it disabled.
        try
        {
            await using var session = store.LightweightSession(delivery.TenantId);
            var stream = await session.Events.FetchForWriting<WebhookEndpoint>(delivery.EndpointId, ct);
            if (stream.Aggregate is not { } endpoint || WebhookDecisions.Disable(endpoint, reason, now) is not { Count: > 0 } events)
            {
                return;
            }
            stream.AppendMany(events);
            WebhookQueue.Pause(session, endpoint.Id);
            await session.SaveChangesAsync(ct);
            log.LogWarning("Webhook endpoint {EndpointId} of {District} disabled: {Reason}", endpoint.Id, delivery.TenantId, reason);
        }
        catch (JasperFx.ConcurrencyException)
        {
        }
    }
}

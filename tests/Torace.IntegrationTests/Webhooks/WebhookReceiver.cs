using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Torace.IntegrationTests.Webhooks;

/// <summary>One request a receiver got: its webhook headers, its body as sent, and when it came.</summary>
public sealed record ReceivedWebhook(string Receiver, string WebhookId, IHeaderDictionary Headers, string Body, DateTimeOffset At)
{
    public JsonElement Payload => JsonDocument.Parse(Body).RootElement.Clone();

    public string Type => Payload.GetProperty("type").GetString()!;

    public JsonElement Data => Payload.GetProperty("data");

    /// <summary>Whether the Standard Webhooks library accepts the signature with this secret.</summary>
    public bool VerifiesWith(string secret)
    {
        try
        {
            new StandardWebhook(secret).Verify(Body, Headers);
            return true;
        }
        catch (Exception e) when (e is StandardWebhooks.Diagnostics.WebhookVerificationException or FormatException)
        {
            return false;
        }
    }
}

/// <summary>
/// A real HTTP receiver on this machine (Kestrel on a free loopback port) with one address per name. Each name answers
/// as it is told, by the count of requests it has had with the same webhook-id: 200 unless told otherwise, a status, or
/// no answer for a while (longer than the sender's attempt timeout).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<ReceivedWebhook> received = new();
    readonly ConcurrentDictionary<string, Func<ReceivedWebhook, int, int?>> answers = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<(string, string), int> tries = new();
    readonly ConcurrentQueue<(string Name, DateTimeOffset From, DateTimeOffset To)> held = new();

    /// <summary>How long a receiver told to hang keeps the request before answering 200.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    WebhookReceiver(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    public static async Task<WebhookReceiver> Start(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        receiver.app.MapPost("/{name}", receiver.Receive);
        await receiver.app.StartAsync(ct);
        receiver.Address = new Uri(receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    public string Url(string name) => new Uri(Address, name).ToString();

    /// <summary>How <paramref name="name"/> answers the n-th request (1-based) with one webhook-id: a status, or null for no answer in time.</summary>
    public void Answer(string name, Func<int, int?> byTry) => answers[name] = (_, attempt) => byTry(attempt);

    /// <summary>
    /// The same, for the requests of one program only; any other is answered 200 at once. An endpoint hears every enrolment of
    /// its district, including those of test classes running meanwhile: were theirs held too, they would queue in front of
    /// the test's own deliveries behind the endpoint's four slots.
    /// </summary>
    public void Answer(string name, Guid programId, Func<int, int?> byTry) => answers[name] = (request, attempt) =>
        request.Data.TryGetProperty("programId", out var id) && id.GetGuid() == programId ? byTry(attempt) : 200;

    public IReadOnlyList<ReceivedWebhook> Of(string name) => [.. received.Where(r => r.Receiver == name)];

    async Task<IResult> Receive(string name, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        var id = request.Headers["webhook-id"].ToString();
        var attempt = tries.AddOrUpdate((name, id), 1, (_, n) => n + 1);
        var webhook = new ReceivedWebhook(name, id, headers, body, DateTimeOffset.UtcNow);
        received.Enqueue(webhook);
        var status = answers.TryGetValue(name, out var answer) ? answer(webhook, attempt) : 200;
        if (status is null)
        {
            var from = DateTimeOffset.UtcNow;
            try
            {
                await Task.Delay(Hang, request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up on it: the request held its slot until now.
            }
            held.Enqueue((name, from, DateTimeOffset.UtcNow));
            return Results.Ok();
        }
        return Results.StatusCode(status.Value);
    }

    /// <summary>
    /// The most requests <paramref name="name"/> held open at once, of those it did not answer (that arrived from
    /// <paramref name="since"/> on): a request counts from its arrival until the sender gave up on it, less a tenth of a second
    /// for the sender's close to reach this side.
    /// </summary>
    public int MostHeldAtOnce(string name, DateTimeOffset? since = null)
    {
        var spans = held.Where(h => h.Name == name && h.From >= (since ?? DateTimeOffset.MinValue))
            .Select(h => (h.From, To: h.To - TimeSpan.FromMilliseconds(100))).ToList();
        return spans.Count == 0 ? 0 : spans.Max(s => spans.Count(o => o.From <= s.From && o.To > s.From));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

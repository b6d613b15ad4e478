using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using Torace.GatewayBench;
using Torace.Notifications.Webhooks;

namespace Torace.WebhookBench;

/// <summary>
/// The Notifications service hosted in the bench process on a database and RabbitMQ virtual host of its own (the system's
/// PostgreSQL and broker), with its webhook settings as deployed except that it may send to this machine.
/// </summary>
public sealed class NotificationsHost : WebApplicationFactory<WebhookDispatcher>
{
    readonly string postgres;
    readonly Uri rabbitMq;
    readonly Uri management;
    readonly string mail;
    readonly string database = $"webhookbench_{Guid.NewGuid().ToString("N")[..8]}";
    readonly string virtualHost = $"webhookbench-{Guid.NewGuid().ToString("N")[..8]}";

    NotificationsHost(string postgres, Uri rabbitMq, Uri management, string mail) =>
        (this.postgres, this.rabbitMq, this.management, this.mail) = (postgres, rabbitMq, management, mail);

    public string DatabaseConnectionString => new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;

    /// <param name="mail">The mail server (smtp://host:port); none that answers when not given.</param>
    public static async Task<NotificationsHost> Start(string postgres, string rabbitMq, Uri management, CancellationToken ct, string? mail = null)
    {
        var host = new NotificationsHost(postgres, new Uri(rabbitMq), management, mail ?? "smtp://127.0.0.1:1");
        await OwnCorner.CreateDatabase(postgres, host.database, ct);
        await OwnCorner.CreateVirtualHost(management, host.virtualHost, ct);
        // The first use of Services builds and starts the service (Marten's schema with the webhook tables, the dispatcher).
        _ = host.Services.GetRequiredService<WebhookDispatcher>();
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseContentRoot(Path.Combine(Report.Repository, "src", "Torace.Notifications"));
        builder.UseSetting("ConnectionStrings:postgres", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:rabbitmq", new UriBuilder(rabbitMq) { Path = "/" + virtualHost }.Uri.ToString());
        builder.UseSetting("ConnectionStrings:mail", mail);
        builder.UseSetting("ServiceToken:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Webhooks:AllowPrivateAddresses", "true");
        builder.UseSetting("ParticipantLinks:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("ParticipantLinks:PagesUrl", "http://localhost:5100");
        builder.ConfigureLogging(logging => logging.ClearProviders()
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter<ConsoleLoggerProvider>(category: null, LogLevel.Error));
    }
}

/// <summary>
/// The receivers: one Kestrel server in this process, an address per endpoint. A healthy one answers 200 at once; a
/// failing one holds the request past the sender's attempt timeout. Each delivery's first arrival is kept.
/// </summary>
public sealed class Receivers : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentDictionary<string, DateTimeOffset> arrivals = new(StringComparer.Ordinal);
    volatile HashSet<int> failing = [];

    Receivers(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    public int Requests;

    public static async Task<Receivers> Start(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receivers = new Receivers(builder.Build());
        receivers.app.MapPost("/{endpoint:int}", receivers.Receive);
        await receivers.app.StartAsync(ct);
        receivers.Address = new Uri(receivers.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receivers;
    }

    public void Fail(IEnumerable<int> endpoints) => failing = [.. endpoints];

    public bool TryArrival(Guid deliveryId, out DateTimeOffset at) => arrivals.TryGetValue(WebhookSignature.MessageId(deliveryId), out at);

    async Task<IResult> Receive(int endpoint, HttpRequest request)
    {
        Interlocked.Increment(ref Requests);
        if (failing.Contains(endpoint))
        {
            await Task.Delay(TimeSpan.FromSeconds(15));
            return Results.StatusCode(503);
        }
        arrivals.TryAdd(request.Headers["webhook-id"].ToString(), DateTimeOffset.UtcNow);
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

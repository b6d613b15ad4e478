using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Torace.AppHost.LocalInfrastructure;

[assembly: AssemblyFixture(typeof(Torace.IntegrationTests.Fixture.ToraceSystem))]

// The system runs Debian packages as local processes.
[assembly: global::System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Torace.IntegrationTests.Fixture;

/// <summary>
/// The whole system, started once per test run through the real AppHost (Aspire.Hosting.Testing): the same
/// provisioning code as `dotnet run --project Torace.AppHost`, with its state in a fresh temporary folder.
/// </summary>
public sealed class ToraceSystem : IAsyncLifetime
{
    readonly string state = Path.Combine(Path.GetTempPath(), "torace-tests-" + Guid.NewGuid().ToString("N")[..10]);
    DistributedApplication? app;

    public DistributedApplication App => app ?? throw new InvalidOperationException("The system has not started.");
    public Uri Gateway { get; private set; } = null!;
    public Uri MailApi { get; private set; } = null!;
    public Uri Admin { get; private set; } = null!;
    public Uri Participate { get; private set; } = null!;

    /// <summary>Each district's seeded coordinator login for the admin front end (a district admin).</summary>
    public IReadOnlyDictionary<string, (string Email, string Password)> Coordinators { get; private set; } = new Dictionary<string, (string, string)>();
    public IReadOnlyDictionary<string, string> ApiKeys { get; private set; } = new Dictionary<string, string>();
    public string ServiceTokenKey { get; private set; } = "";
    public string LinkSigningKey { get; private set; } = "";
    public string CoordinatorSigningKey { get; private set; } = "";
    public string RabbitMq { get; private set; } = "";
    public string RabbitMqManagement { get; private set; } = "";
    public string Postgres { get; private set; } = "";

    /// <summary>
    /// Webhooks in seconds rather than hours, to a receiver on this machine: an attempt times out after 4 s, the first
    /// retry waits 1 s (then 4 s, 16 s…), and an endpoint is disabled after 6 failures in a row over at least 15 s.
    /// </summary>
    public static readonly string[] WebhookSettings =
    [
        "--Notifications:Webhooks:AllowPrivateAddresses=true", "--Notifications:Webhooks:AttemptTimeout=00:00:04",
        "--Notifications:Webhooks:FirstRetry=00:00:01", "--Notifications:Webhooks:DisableAfterFailures=6",
        "--Notifications:Webhooks:DisableAfter=00:00:15", "--Notifications:Webhooks:Poll=00:00:00.500",
    ];

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Torace_AppHost>(
            [$"--Torace:StateDirectory={state}", "--Torace:Ephemeral=true", "--Erasure:SecondLook=00:00:45", "--Digest:Schedule=*/5 * * * * *", .. WebhookSettings], TestContext.Current.CancellationToken);
        app = await builder.BuildAsync(TestContext.Current.CancellationToken);

        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await app.StartAsync(startup.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);

        var endpointsFile = Path.Combine(state, "endpoints.json");
        while (!File.Exists(endpointsFile))
        {
            await Task.Delay(200, startup.Token);
        }
        using var endpoints = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile, startup.Token));
        var root = endpoints.RootElement;
        Gateway = new Uri(root.GetProperty("gateway").GetString()!);
        MailApi = new Uri(new Uri(root.GetProperty("mail").GetString()!), "api/email");
        Admin = new Uri(root.GetProperty("admin").GetString()!);
        Participate = new Uri(root.GetProperty("participate").GetString()!);
        Coordinators = root.GetProperty("districts").EnumerateArray().ToDictionary(
            d => d.GetProperty("name").GetString()!,
            d => (d.GetProperty("coordinator").GetProperty("email").GetString()!, d.GetProperty("coordinator").GetProperty("password").GetString()!));
        ApiKeys = root.GetProperty("districts").EnumerateArray()
            .ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("apiKey").GetString()!);

        using var secrets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "secrets.json"), startup.Token));
        ServiceTokenKey = secrets.RootElement.GetProperty("ServiceTokenKey").GetString()!;
        LinkSigningKey = secrets.RootElement.GetProperty("LinkSigningKey").GetString()!;
        CoordinatorSigningKey = secrets.RootElement.GetProperty("CoordinatorSigningKey").GetString()!;
        RabbitMq = await app.GetConnectionStringAsync("rabbitmq", startup.Token) ?? throw new InvalidOperationException("No RabbitMQ.");
        Postgres = await app.GetConnectionStringAsync("postgres", startup.Token) ?? throw new InvalidOperationException("No PostgreSQL.");
        RabbitMqManagement = app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<LocalRabbitMqResource>().Single().ManagementUrl;
    }

    /// <summary>A resource's last lines of output (the AppHost keeps them, by resource id), for a failure's message.</summary>
    public async Task<string> LastOutput(string resource, CancellationToken ct, int lines = 40)
    {
        var last = new Queue<string>();
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(ct);
        enough.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource).WithCancellation(enough.Token))
            {
                foreach (var line in batch)
                {
                    last.Enqueue(line.Content);
                    if (last.Count > lines)
                    {
                        last.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        return string.Join('\n', last);
    }

    /// <summary>A gateway client for one district.</summary>
    public HttpClient District(string name)
    {
        var client = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKeys[name]);
        return client;
    }

    public Uri ServiceUrl(string resource) => App.GetEndpoint(resource, "http");

    /// <summary>Publishes messages onto the system's broker as a service's outbox would, each with its message id, in order.</summary>
    public Task Publish(CancellationToken ct, params (object Message, Guid MessageId)[] messages) =>
        OnBroker(async bus =>
        {
            foreach (var (message, messageId) in messages)
            {
                await bus.Publish(message, message.GetType(), c => c.MessageId = messageId, ct);
            }
        }, ct);

    /// <summary>Sends one message straight to a queue (for example an error queue), with its message id.</summary>
    public Task Send(Uri queue, object message, Guid messageId, CancellationToken ct) =>
        OnBroker(async bus =>
        {
            var endpoint = await bus.GetSendEndpoint(queue);
            await endpoint.Send(message, message.GetType(), c => c.MessageId = messageId, ct);
        }, ct);

    /// <summary>A short-lived bus on the system's broker for one piece of test work.</summary>
    async Task OnBroker(Func<IBusControl, Task> work, CancellationToken ct)
    {
        var broker = new Uri(RabbitMq);
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(broker.Host, (ushort)broker.Port, "/", h =>
        {
            h.Username("guest");
            h.Password("guest");
        }));
        await bus.StartAsync(ct);
        try
        {
            await work(bus);
        }
        finally
        {
            await bus.StopAsync(ct);
        }
    }

    public async Task<IReadOnlyList<SentEmail>> Emails(CancellationToken ct)
    {
        using var http = new HttpClient();
        return await http.GetFromJsonAsync<List<SentEmail>>(MailApi, ct) ?? [];
    }

    /// <summary>A match email (to the mentor or to a mentee), not the invites or reminders that follow it.</summary>
    public static bool IsMatchEmail(string subject) =>
        subject.StartsWith("You are matched", StringComparison.Ordinal) || subject.StartsWith("You have a mentor", StringComparison.Ordinal);

    /// <summary>The text of an email's attachment, as the sink received it.</summary>
    public async Task<string> Attachment(SentEmail email, MailAttachment attachment, CancellationToken ct)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"{MailApi}/{Uri.EscapeDataString(email.Id)}/attachment/{Uri.EscapeDataString(attachment.GeneratedFileName)}"), ct);
    }

    /// <summary>Removes emails from the sink (a large workload's, once counted, so later reads of the sink stay cheap).</summary>
    public async Task DeleteEmails(IEnumerable<string> ids, CancellationToken ct)
    {
        using var http = new HttpClient();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (id, token) =>
        {
            using var deleted = await http.DeleteAsync(new Uri(MailApi + "/" + Uri.EscapeDataString(id)), token);
            deleted.EnsureSuccessStatusCode();
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        try
        {
            Directory.Delete(state, recursive: true);
        }
        catch (IOException)
        {
            // PostgreSQL's files belong to the postgres user and may linger a moment; the folder is in /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

public sealed record MailAddressView(string Address, string? Name);

/// <param name="MessageId">The Message-ID header: Torace makes it from the delivery's key, so two emails of one delivery share it.</param>
public sealed record SentEmail(string Id, string Subject, IReadOnlyList<MailAddressView> To, string? Html, IReadOnlyList<MailAttachment>? Attachments = null, string? Text = null,
    string? MessageId = null);

/// <summary>An attachment as maildev lists it; its content is at /api/email/{id}/attachment/{generatedFileName}.</summary>
public sealed record MailAttachment(string ContentType, string? FileName, string GeneratedFileName);

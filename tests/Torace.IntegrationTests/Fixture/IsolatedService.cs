using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Torace.Platform.Tenancy;

namespace Torace.IntegrationTests.Fixture;

/// <summary>
/// One service hosted in the test process against the run's real PostgreSQL and RabbitMQ, with a database
/// and a virtual host of its own, so a test class sees only what it caused. A second instance made with
/// <c>sameStoreAs</c> shares the first one's database and virtual host: two instances of one service.
/// </summary>
public sealed class IsolatedService<TServiceType>(
    ToraceSystem system, string service, IReadOnlyDictionary<string, string>? settings = null, IsolatedService<TServiceType>? sameStoreAs = null)
    : WebApplicationFactory<TServiceType>
    where TServiceType : class
{
    readonly string database = sameStoreAs?.database ?? $"test_{service}_{Guid.NewGuid():N}"[..40];
    readonly string virtualHost = sameStoreAs?.virtualHost ?? $"test-{service}-{Guid.NewGuid():N}";

    public string VirtualHost => virtualHost;

    public async Task Prepare(CancellationToken ct)
    {
        using var management = new HttpClient { BaseAddress = new Uri(system.RabbitMqManagement) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        (await management.PutAsync($"api/vhosts/{virtualHost}", null, ct)).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"api/permissions/{virtualHost}/guest", new { configure = ".*", write = ".*", read = ".*" }, ct)).EnsureSuccessStatusCode();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:postgres", new NpgsqlConnectionStringBuilder(system.Postgres) { Database = database }.ConnectionString);
        builder.UseSetting("ConnectionStrings:rabbitmq", RabbitMqUri().ToString());
        builder.UseSetting("ConnectionStrings:mail", "smtp://127.0.0.1:1");
        builder.UseSetting("ServiceToken:SigningKey", system.ServiceTokenKey);
        builder.UseSetting("ParticipantLinks:SigningKey", system.LinkSigningKey);
        builder.UseSetting("Gateway:SecretKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Gateway:CoordinatorSigningKey", system.CoordinatorSigningKey);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    Uri RabbitMqUri() => new UriBuilder(system.RabbitMq) { Path = "/" + virtualHost }.Uri;

    /// <summary>A client calling the service as the gateway would, for one district.</summary>
    public HttpClient District(string tenant)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            ServiceToken.Issue(new ServiceTokenOptions { SigningKey = system.ServiceTokenKey }, tenant, DateTimeOffset.UtcNow));
        return client;
    }

    /// <summary>A bus on the service's virtual host, to hear what the service publishes.</summary>
    public async Task<IBusControl> Listen(Action<IRabbitMqReceiveEndpointConfigurator> endpoint, CancellationToken ct)
    {
        var broker = RabbitMqUri();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.Host, (ushort)broker.Port, virtualHost, h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            rabbit.ReceiveEndpoint($"test-listener-{Guid.NewGuid():N}", endpoint);
        });
        await bus.StartAsync(ct);
        return bus;
    }
}

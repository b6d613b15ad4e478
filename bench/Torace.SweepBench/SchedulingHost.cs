using System.Security.Cryptography;
using Hangfire;
using Hangfire.Storage;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using Torace.Contracts.Scheduling;
using Torace.GatewayBench;
using Torace.Scheduling.Touchpoints;

namespace Torace.SweepBench;

/// <summary>The bench system's PostgreSQL server and RabbitMQ broker, on which each <see cref="SchedulingHost"/> makes its own database and virtual host.</summary>
public sealed record SharedInfrastructure(string Postgres, string RabbitMq, Uri RabbitMqManagement);

/// <summary>
/// The Scheduling service hosted in the bench process (as the integration tests host it) on a fresh database and
/// RabbitMQ virtual host, so what the bench hears on the broker is only what this instance published. The bench calls
/// the service's own <see cref="TouchpointSweeper"/> and store; a listener on the virtual host records every
/// TouchpointDue and EngagementScheduled with the moment it arrived (<see cref="Arrivals"/>).
/// </summary>
public sealed class SchedulingHost : WebApplicationFactory<TouchpointSweeper>
{
    readonly SharedInfrastructure infrastructure;
    readonly string database;
    readonly string virtualHost;
    IBusControl? listener;

    SchedulingHost(SharedInfrastructure infrastructure, string purpose)
    {
        this.infrastructure = infrastructure;
        var id = Guid.NewGuid().ToString("N")[..8];
        database = $"sweepbench_{purpose}_{id}";
        virtualHost = $"sweepbench-{purpose}-{id}";
    }

    public BrokerArrivals Arrivals { get; } = new();

    /// <summary>The service's database (Hangfire's baseline storage lives there too, in a schema of its own).</summary>
    public string DatabaseConnectionString => new NpgsqlConnectionStringBuilder(infrastructure.Postgres) { Database = database }.ConnectionString;

    Uri Broker => new UriBuilder(infrastructure.RabbitMq) { Path = "/" + virtualHost }.Uri;

    /// <summary>
    /// Creates the database and virtual host, starts the service and its listener. Without <paramref name="recurringSweep"/>
    /// the service's Hangfire job that sweeps every 15 s is removed, so only the bench's own calls sweep.
    /// </summary>
    public static async Task<SchedulingHost> Start(SharedInfrastructure infrastructure, string purpose, bool recurringSweep, CancellationToken ct)
    {
        var host = new SchedulingHost(infrastructure, purpose);
        try
        {
            await host.Prepare(ct);
            // The first use of Services builds and starts the service (Marten's schema, the outbox daemon, MassTransit, Hangfire).
            if (!recurringSweep)
            {
                await host.RemoveRecurringSweep(ct);
            }
            host.listener = await host.Bus(rabbit => rabbit.ReceiveEndpoint($"sweepbench-listener-{Guid.NewGuid():N}", e =>
            {
                e.PrefetchCount = 1000;
                e.Handler<TouchpointDue>(context =>
                {
                    host.Arrivals.Heard(context.Message, DateTimeOffset.UtcNow);
                    return Task.CompletedTask;
                });
                e.Handler<EngagementScheduled>(context =>
                {
                    host.Arrivals.Scheduled(context.Message.ProgramId);
                    return Task.CompletedTask;
                });
            }), ct);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The service registers its recurring sweep once it has started (<c>HangfireJobs.KeepRecurringJob</c>), so removing it
    /// at once could come first and leave the service sweeping beside the bench: wait until it is registered, then remove it.
    /// </summary>
    async Task RemoveRecurringSweep(CancellationToken ct)
    {
        var storage = Services.GetRequiredService<JobStorage>();
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        waiting.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            using (var connection = storage.GetConnection())
            {
                if (connection.GetRecurringJobs([TouchpointSweeps.RecurringJobId]).Any(job => !job.Removed))
                {
                    break;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), waiting.Token);
        }
        Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(TouchpointSweeps.RecurringJobId);
    }

    async Task Prepare(CancellationToken ct)
    {
        await OwnCorner.CreateDatabase(infrastructure.Postgres, database, ct);
        await OwnCorner.CreateVirtualHost(infrastructure.RabbitMqManagement, virtualHost, ct);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // WebApplicationFactory looks for its content-root manifest in the working directory (a test's bin folder); the
        // bench runs from the repository, so the service's folder is named here.
        builder.UseContentRoot(Path.Combine(Report.Repository, "src", "Torace.Scheduling"));
        builder.UseSetting("ConnectionStrings:postgres", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:rabbitmq", Broker.ToString());
        // The bench calls no endpoint, so any key of the right length does.
        builder.UseSetting("ServiceToken:SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        // stdout carries the report: the service's warnings and errors go to stderr with the bench's progress (a filter for
        // the provider outranks the service's appsettings, which log Information).
        builder.ConfigureLogging(logging => logging.ClearProviders()
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter<ConsoleLoggerProvider>(category: null, LogLevel.Warning));
    }

    /// <summary>A bus of the bench's own on the service's virtual host: the listener, or the Hangfire baseline's publisher.</summary>
    public async Task<IBusControl> Bus(Action<IRabbitMqBusFactoryConfigurator> configure, CancellationToken ct)
    {
        var broker = Broker;
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.Host, (ushort)broker.Port, virtualHost, h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            configure(rabbit);
        });
        await bus.StartAsync(ct);
        return bus;
    }

    public override async ValueTask DisposeAsync()
    {
        if (listener is not null)
        {
            await listener.StopAsync();
        }
        await base.DisposeAsync();
    }
}

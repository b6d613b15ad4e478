using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>RabbitMQ from Debian's package, a private node on loopback ports, management plugin on.</summary>
public sealed class LocalRabbitMqResource(string name, string command, string workingDirectory, int amqpPort, int managementPort)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int AmqpPort { get; } = amqpPort;
    public int ManagementPort { get; } = managementPort;

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}/";
    public string ManagementUrl => $"http://127.0.0.1:{ManagementPort.ToString(CultureInfo.InvariantCulture)}/";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{ConnectionString}");
}

public static class LocalRabbitMq
{
    /// <summary>
    /// rabbitmq-server in the foreground with its own HOME and cookie, node name, data and ports. Its
    /// port mapper (epmd) runs as a resource of its own, so stopping the AppHost leaves nothing behind.
    /// </summary>
    public static IResourceBuilder<LocalRabbitMqResource> AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder, string name, LocalInfrastructureOptions options)
    {
        var data = Path.Combine(options.DataDirectory, "rabbitmq");
        var home = Path.Combine(data, "home");
        Directory.CreateDirectory(home);
        WriteCookie(Path.Combine(home, ".erlang.cookie"));

        int amqp = LocalPorts.Free(), management = LocalPorts.Free(), distribution = LocalPorts.Free(), epmdPort = LocalPorts.Free();
        var node = $"torace-{Path.GetFileName(options.DataDirectory.TrimEnd('/'))}@localhost".Replace('.', '-');

        // The Erlang VM's pid, written by the node as it starts (RabbitMQ's default place, named here to wait on it).
        var pidFile = Path.Combine(data, "mnesia", node + ".pid");
        var config = Path.Combine(data, "rabbitmq.conf");
        File.WriteAllText(config, $"""
            listeners.tcp.default = 127.0.0.1:{amqp}
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {management}
            loopback_users.guest = true
            log.console = true
            log.file = false
            """);
        File.WriteAllText(Path.Combine(data, "enabled_plugins"), "[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].");

        var epmd = builder.AddExecutable($"{name}-epmd", "epmd", data, "-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1")
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .ExcludeFromManifest();

        var resource = new LocalRabbitMqResource(name, Path.Combine(LocalPackages.RabbitMqBinDirectory, "rabbitmq-server"), data, amqp, management);
        var healthCheck = $"{name}-management-answers";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async ct =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(resource.ManagementUrl), Timeout = TimeSpan.FromSeconds(3) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
            try
            {
                using var response = await http.GetAsync("api/health/checks/virtual-hosts", ct);
                return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"management answered {response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        });

        return builder.AddResource(resource)
            .WithEnvironment("HOME", home)
            .WithEnvironment("RABBITMQ_NODENAME", node)
            .WithEnvironment("RABBITMQ_CONFIG_FILE", config)
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(data, "enabled_plugins"))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(data, "mnesia"))
            .WithEnvironment("RABBITMQ_PID_FILE", pidFile)
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(data, "log"))
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", amqp.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distribution.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false")
            .WithEnvironment("RABBITMQ_CTL_ERL_ARGS", "-start_epmd false")
            .WithUrl(resource.ManagementUrl, "Management")
            .WithHealthCheck(healthCheck)
            .WaitFor(epmd)
            .WaitsForPreviousServer(pidFile, "beam")
            .ExcludeFromManifest();
    }

    static void WriteCookie(string path)
    {
        if (File.Exists(path))
        {
            return;
        }
        File.WriteAllText(path, Convert.ToHexString(Guid.NewGuid().ToByteArray()));
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
    }
}

using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Torace.AppHost.LocalInfrastructure;

/// <summary>maildev (npm) as the SMTP sink; its web inbox and REST API (/api/email) show what was sent.</summary>
public sealed class LocalMailDevResource(string name, string command, string workingDirectory, int smtpPort, int webPort)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int SmtpPort { get; } = smtpPort;
    public int WebPort { get; } = webPort;
    public string WebUrl => $"http://127.0.0.1:{WebPort.ToString(CultureInfo.InvariantCulture)}/";

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"smtp://127.0.0.1:{SmtpPort.ToString(CultureInfo.InvariantCulture)}");
}

public static class LocalMailDev
{
    public static IResourceBuilder<LocalMailDevResource> AddLocalMailDev(
        this IDistributedApplicationBuilder builder, string name, LocalInfrastructureOptions options)
    {
        int smtp = LocalPorts.Free(), web = LocalPorts.Free();
        var (command, args) = ConsoleThroughFile.Wrap(Path.Combine(options.DataDirectory, "maildev.log"),
            ("node",
            [
                LocalPackages.MailDevScript(options.ToolsDirectory),
                "--ip", "127.0.0.1", "--web-ip", "127.0.0.1",
                "-s", smtp.ToString(CultureInfo.InvariantCulture), "-w", web.ToString(CultureInfo.InvariantCulture),
            ]));
        var resource = new LocalMailDevResource(name, command, options.DataDirectory, smtp, web);
        var healthCheck = $"{name}-inbox-answers";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async ct =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            try
            {
                using var response = await http.GetAsync(resource.WebUrl + "api/email", ct);
                return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"inbox answered {response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        });

        return builder.AddResource(resource)
            .WithArgs(args)
            .WithUrl(resource.WebUrl, "Inbox")
            .WithHealthCheck(healthCheck)
            .ExcludeFromManifest();
    }
}

using Microsoft.Extensions.Configuration;
using Torace.Gateway.Proxy;

namespace Torace.IntegrationTests.Fixture;

/// <summary>The checkout the tests run from, found through the AppHost project the tests start.</summary>
public static class Repository
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(AppHostDirectory(), ".."));

    static string AppHostDirectory() =>
        Projects.Torace_AppHost.ProjectPath.EndsWith(".csproj", StringComparison.Ordinal)
            ? Path.GetDirectoryName(Projects.Torace_AppHost.ProjectPath)!
            : Projects.Torace_AppHost.ProjectPath;

    /// <summary>The gateway's routes as its appsettings.json gives them to YARP.</summary>
    public static RouteTable GatewayRoutes() =>
        RouteTable.FromConfiguration(new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Root, "src", "Torace.Gateway", "appsettings.json"), optional: false)
            .Build()
            .GetSection(RouteTable.Section));
}

using System.Net.Http.Json;
using System.Text.Json;
using Torace.Gateway.Proxy;
using Torace.IntegrationTests.Fixture;

namespace Torace.IntegrationTests.Gateway;

/// <summary>
/// The gateway's routes and the services' endpoints cannot drift apart: every public endpoint a service documents is
/// routed to that service, and every route reaches at least one endpoint of its cluster. Both sides are read as the
/// system runs them: the route table from the gateway's ReverseProxy configuration, the endpoints from each service's
/// own OpenAPI document.
/// </summary>
public sealed class RouteDriftTests(ToraceSystem system)
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task Every_public_service_endpoint_is_routed_to_its_service()
    {
        var routes = Repository.GatewayRoutes();
        var drift = new List<string>();
        foreach (var (cluster, method, path) in await PublicEndpoints(routes))
        {
            var route = routes.Find(method, path);
            if (route?.ClusterId != cluster)
            {
                drift.Add(route is null
                    ? $"{method} {path} ({cluster}) is not routed by the gateway"
                    : $"{method} {path} ({cluster}) is routed to {route.ClusterId} by route {route.RouteId}");
            }
        }
        Assert.True(drift.Count == 0, "Endpoints the gateway does not expose:\n" + string.Join('\n', drift));
    }

    [Fact]
    public async Task Every_gateway_route_reaches_an_endpoint_of_its_cluster()
    {
        var routes = Repository.GatewayRoutes();
        var endpoints = await PublicEndpoints(routes);
        var unused = routes.Routes
            .Where(route => !endpoints.Any(e => e.Cluster == route.ClusterId && routes.Find(e.Method, e.Path) == route))
            .Select(route => $"route {route.RouteId} ({route.Path} → {route.ClusterId})")
            .ToList();
        Assert.True(unused.Count == 0, "Routes that reach no endpoint of their cluster:\n" + string.Join('\n', unused));
    }

    /// <summary>Every /api/v1 operation of every cluster's service, as the service's own OpenAPI document lists it.</summary>
    async Task<List<(string Cluster, string Method, string Path)>> PublicEndpoints(RouteTable routes)
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        var endpoints = new List<(string, string, string)>();
        foreach (var cluster in routes.Clusters.Keys)
        {
            var document = await http.GetFromJsonAsync<JsonElement>(new Uri(system.ServiceUrl(cluster), "/openapi/v1.json"), ct);
            foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal)))
            {
                endpoints.AddRange(path.Value.EnumerateObject()
                    .Where(operation => Methods.Contains(operation.Name))
                    .Select(operation => (cluster, operation.Name.ToUpperInvariant(), path.Name)));
            }
        }
        Assert.NotEmpty(endpoints);
        return endpoints;
    }
}

using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Torace.Gateway.Proxy;

/// <summary>One YARP route as the gateway's ReverseProxy configuration defines it (path and methods only: hosts and headers are not used here).</summary>
public sealed record ProxyRoute(string RouteId, string ClusterId, int Order, string Path, IReadOnlyList<string> Methods);

/// <summary>
/// The gateway's routes, read from the same ReverseProxy configuration section YARP loads, and which route a request
/// (or a documented operation) reaches, chosen as ASP.NET routing chooses among YARP's endpoints: the lowest Order
/// first, then the more specific template. The merged OpenAPI document and the route drift test both ask this table,
/// so neither can disagree with the proxy about what is exposed.
/// </summary>
public sealed class RouteTable
{
    public const string Section = "ReverseProxy";

    readonly IReadOnlyList<(ProxyRoute Route, TemplateMatcher Matcher)> ordered;

    public RouteTable(IEnumerable<ProxyRoute> routes, IReadOnlyDictionary<string, IReadOnlyList<Uri>> clusters)
    {
        Clusters = clusters;
        ordered = routes
            .Select(r => (Route: r, Template: new RouteTemplate(RoutePatternFactory.Parse(r.Path))))
            .OrderBy(r => r.Route.Order)
            .ThenBy(r => RoutePrecedence.ComputeInbound(r.Template))
            .Select(r => (r.Route, new TemplateMatcher(r.Template, new RouteValueDictionary())))
            .ToList();
    }

    public IEnumerable<ProxyRoute> Routes => ordered.Select(r => r.Route);

    /// <summary>Each cluster's destination addresses (service discovery names such as http://programs).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Uri>> Clusters { get; }

    public static RouteTable FromConfiguration(IConfiguration reverseProxy)
    {
        var routes = reverseProxy.GetSection("Routes").GetChildren().Select(route => new ProxyRoute(
            route.Key,
            route["ClusterId"] ?? throw new InvalidOperationException($"Route {route.Key} names no ClusterId."),
            int.TryParse(route["Order"], System.Globalization.CultureInfo.InvariantCulture, out var order) ? order : 0,
            route["Match:Path"] ?? throw new InvalidOperationException($"Route {route.Key} has no Match:Path."),
            route.GetSection("Match:Methods").GetChildren().Select(m => m.Value!).Where(m => m is not null).ToList()));
        var clusters = reverseProxy.GetSection("Clusters").GetChildren().ToDictionary(
            cluster => cluster.Key,
            cluster => (IReadOnlyList<Uri>)cluster.GetSection("Destinations").GetChildren()
                .Select(d => new Uri(d["Address"] ?? throw new InvalidOperationException($"A destination of {cluster.Key} has no Address.")))
                .ToList());
        return new RouteTable(routes, clusters);
    }

    /// <summary>
    /// The route that takes this method and path, or null. The path may be an OpenAPI path with its parameters as
    /// written (<c>/api/v1/programs/{programId}/matches</c>): a parameter's placeholder is one segment like any value.
    /// </summary>
    public ProxyRoute? Find(string method, string path)
    {
        var normalised = path.Length > 1 ? path.TrimEnd('/') : path;
        foreach (var (route, matcher) in ordered)
        {
            if (route.Methods.Count > 0 && !route.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            if (matcher.TryMatch(new PathString(normalised), new RouteValueDictionary()))
            {
                return route;
            }
        }
        return null;
    }

    /// <summary>Whether a request with this method and path reaches the given cluster through the gateway.</summary>
    public bool Exposes(string clusterId, string method, string path) => Find(method, path)?.ClusterId == clusterId;
}

using System.Net.Http.Headers;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Proxy;

/// <summary>
/// The gateway's own questions to the Programs service, asked as a service of the caller's district (a service token
/// for that tenant). A Programs service that does not answer, or answers late, is a null answer, never an exception.
/// </summary>
public sealed class ProgramsQuery(IHttpClientFactory clients, RouteTable routes, IConfiguration configuration, TimeProvider clock)
{
    public const string HttpClientName = "programs-query";
    public const string ProgramsCluster = "programs";

    readonly ServiceTokenOptions tokens = configuration.GetSection(ServiceTokenOptions.Section).Get<ServiceTokenOptions>() ?? new();

    /// <summary>GET the path (relative to the service, e.g. <c>api/v1/programs/{id}</c>); the caller disposes the answer.</summary>
    public async Task<HttpResponseMessage?> Get(string tenant, string path, CancellationToken ct)
    {
        var programs = routes.Clusters.GetValueOrDefault(ProgramsCluster)?.FirstOrDefault()
            ?? throw new InvalidOperationException($"The gateway's ReverseProxy configuration has no {ProgramsCluster} cluster.");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(programs, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceToken.Issue(tokens, tenant, clock.GetUtcNow()));
        try
        {
            return await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.ExecutionRejectedException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }
}

using System.Net;
using Torace.Platform.Tenancy;
using Yarp.ReverseProxy.Transforms;

namespace Torace.Gateway.Proxy;

/// <summary>
/// A response step of the matching-runs route. Programs takes a start and answers 202 with the run's Location, which is
/// Matching's; Matching creates the run only when the request reaches it over the broker (moments later, or minutes
/// while the broker is down). Until then Matching answers 404 for that run, so the gateway asks Programs whether it
/// asked for the run, and if so answers as the start did: 202, the run running, with Retry-After. DESIGN §12: a
/// Location whose status tells when it is done, never a 404 for a run that is coming.
/// </summary>
public sealed class RequestedRuns(ProgramsQuery programs)
{
    public const string RouteId = "matching-runs";

    public async ValueTask Answer(ResponseTransformContext context)
    {
        var http = context.HttpContext;
        if (context.ProxyResponse?.StatusCode != HttpStatusCode.NotFound || !HttpMethods.IsGet(http.Request.Method)
            || !Guid.TryParse(http.Request.RouteValues["programId"]?.ToString(), out var programId)
            || !Guid.TryParse(http.Request.RouteValues["rest"]?.ToString(), out var runId)
            || http.User.TenantId() is not { } tenant)
        {
            return;
        }

        using var asked = await programs.Get(tenant, $"api/v1/programs/{programId}/matching-runs/{runId}/request", context.CancellationToken);
        if (asked?.StatusCode != HttpStatusCode.OK)
        {
            return;
        }
        context.SuppressResponseBody = true;
        var response = http.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers.ContentLength = null;
        response.Headers.RetryAfter = "1";
        response.ContentType = asked.Content.Headers.ContentType?.ToString() ?? "application/json";
        await asked.Content.CopyToAsync(response.Body, context.CancellationToken);
    }
}

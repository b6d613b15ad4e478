using System.Net;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Proxy;

/// <summary>
/// A step of the proxy pipeline: a request under /programs/{programId}/ for a service other than Programs goes on only
/// if the program exists in the caller's district. Otherwise Matching, Scheduling or Notifications would answer another
/// district's (or no) program with an empty list, since they only hold what they heard about. Programs is asked with a
/// service token for the same district; a yes is remembered for a few minutes (programs are never deleted), a no never.
/// </summary>
public sealed class ProgramExistence(ProgramsQuery programs, IMemoryCache cache)
{
    const string ProgramIdRouteValue = "programId";
    static readonly TimeSpan Remember = TimeSpan.FromMinutes(5);

    public async Task Check(HttpContext http, Func<Task> next)
    {
        // A key without the scope this method needs is refused by the service (403 naming the scope); looking the program
        // up first would answer 404 to a caller that may not act here at all.
        var needed = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? Scopes.Read : Scopes.Write;
        if (http.GetReverseProxyFeature().Route.Config.ClusterId == ProgramsQuery.ProgramsCluster
            || http.User.FindCaller() is { IsParticipant: false } caller && !caller.HasScope(needed)
            || !http.Request.RouteValues.TryGetValue(ProgramIdRouteValue, out var raw) || raw is null)
        {
            await next();
            return;
        }
        if (!Guid.TryParse(raw.ToString(), out var programId) || programId == Guid.Empty)
        {
            await Results.ValidationProblem(
                new Dictionary<string, string[]> { [ProgramIdRouteValue] = ["'programId' must be a program's id: a GUID that is not all zeros."] },
                title: "The program id in the path is not valid.").ExecuteAsync(http);
            return;
        }

        var tenant = http.User.TenantId() ?? throw new InvalidOperationException("The proxy ran for an unauthenticated request.");
        switch (await Exists(tenant, programId, http.RequestAborted))
        {
            case true:
                await next();
                break;
            case false:
                await Results.Problem(title: $"No program {programId} in this district.", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(http);
                break;
            case null:
                http.Response.Headers.RetryAfter = "1";
                await Results.Problem(
                    title: "The program could not be looked up right now.",
                    detail: "The Programs service did not answer; retry after the time in Retry-After.",
                    statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
                break;
        }
    }

    /// <summary>True if the program exists in the district, false if Programs says it does not, null if Programs did not say.</summary>
    async Task<bool?> Exists(string tenant, Guid programId, CancellationToken ct)
    {
        var key = (nameof(ProgramExistence), tenant, programId);
        if (cache.TryGetValue(key, out _))
        {
            return true;
        }
        using var response = await programs.Get(tenant, $"api/v1/programs/{programId}", ct);
        switch (response?.StatusCode)
        {
            case HttpStatusCode.OK:
                cache.Set(key, true, Remember);
                return true;
            case HttpStatusCode.NotFound:
                return false;
            default:
                return null;
        }
    }
}

public static class ProgramExistenceSetup
{
    public static IServiceCollection AddProgramExistence(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => RouteTable.FromConfiguration(provider.GetRequiredService<IConfiguration>().GetSection(RouteTable.Section)));
        services.AddHttpClient(ProgramsQuery.HttpClientName);
        services.AddSingleton<ProgramsQuery>();
        services.AddSingleton<ProgramExistence>();
        services.AddSingleton<RequestedRuns>();
        return services;
    }

    /// <summary>The first step of the proxy pipeline: before YARP picks a destination.</summary>
    public static IReverseProxyApplicationBuilder UseProgramExistence(this IReverseProxyApplicationBuilder pipeline)
    {
        var existence = pipeline.ApplicationServices.GetRequiredService<ProgramExistence>();
        pipeline.Use((http, next) => existence.Check(http, next));
        return pipeline;
    }
}

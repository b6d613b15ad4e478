using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Torace.Platform.Api;

/// <summary>
/// The root of a service's public endpoints, <c>/api/v1</c>: every endpoint mapped under it keeps the rules of DESIGN §12
/// without code of its own (idempotency keys on POST, an all-zero id answered as unknown).
/// </summary>
public static class PublicApi
{
    public const string Root = "/api/v1";

    public static RouteGroupBuilder MapPublicApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Root)
            .AddEndpointFilter<IdempotencyFilter>()
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Request.RouteValues.Any(v => v.Key.EndsWith("Id", StringComparison.Ordinal) && Guid.TryParse(v.Value as string, out var id) && id == Guid.Empty)
                    ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No resource has the all-zero id.")
                    : await next(context));

    /// <summary>Lets the idempotency filter read the body again after model binding, to fingerprint the request.</summary>
    public static IApplicationBuilder UseRereadableIdempotentBodies(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.Headers.ContainsKey(IdempotencyFilter.Header))
            {
                http.Request.EnableBuffering();
            }
            return next(http);
        });
}

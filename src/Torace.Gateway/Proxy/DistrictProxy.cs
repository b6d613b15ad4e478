using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Torace.Gateway.ApiKeys;
using Torace.Gateway.Callers;
using Torace.Platform.Tenancy;
using Yarp.ReverseProxy.Transforms;

namespace Torace.Gateway.Proxy;

/// <summary>
/// The public API: authenticate the district by its key, limit its rate, then forward to the owning service
/// with a freshly minted service token. Whatever tenant or authorization headers a caller sent are dropped.
/// </summary>
public static class DistrictProxy
{
    const string DistrictPolicy = "district";
    const string RatePolicy = "per-district";

    public static IHostApplicationBuilder AddDistrictProxy(this IHostApplicationBuilder builder)
    {
        var tokens = builder.Configuration.GetSection(ServiceTokenOptions.Section).Get<ServiceTokenOptions>() ?? new();
        tokens.Key();
        var perMinute = builder.Configuration.GetValue("Gateway:RequestsPerMinute", 600);

        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long>("Gateway:MaxRequestBodyBytes", 10 * 1024 * 1024));
        builder.Services.AddAuthorizationBuilder().AddPolicy(DistrictPolicy, policy => policy
            .AddAuthenticationSchemes(GatewayCallers.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ServiceToken.TenantClaim));
        builder.Services.AddRateLimiter(limits =>
        {
            limits.AddPolicy(RatePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.TenantId() ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limits.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    title: "Too many requests for this district.",
                    detail: $"The limit is {perMinute} requests a minute; retry after the time in Retry-After.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms => transforms.AddRequestTransform(context =>
            {
                var headers = context.ProxyRequest.Headers;
                foreach (var name in headers.Select(h => h.Key).Where(IsCallerIdentity).ToList())
                {
                    headers.Remove(name);
                }
                // The caller as authenticated (API key: integrator with the key's scopes; link: the participant).
                headers.Authorization = new("Bearer", ServiceToken.Issue(tokens, context.HttpContext.User.Caller(), DateTimeOffset.UtcNow));
                headers.TryAddWithoutValidation("X-Correlation-Id", context.HttpContext.TraceIdentifier);
                return ValueTask.CompletedTask;
            }));
        return builder;
    }

    public static WebApplication UseDistrictProxy(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapReverseProxy().RequireAuthorization(DistrictPolicy).RequireRateLimiting(RatePolicy);
        return app;
    }

    static bool IsCallerIdentity(string header) =>
        header.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || header.Equals(ApiKeyAuthentication.Header, StringComparison.OrdinalIgnoreCase)
        || header.StartsWith("X-Tenant", StringComparison.OrdinalIgnoreCase);
}

using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Proxy;

/// <summary>
/// Gateway:RateLimit. The defaults let one district sync 10,000 people through single calls 16 at a time without a
/// 429 (bench/run --only rate-limits measures it) while a burst from one district cannot hold more than
/// <see cref="MaxConcurrent"/> backend calls at once: the rest wait in its own queue, not in front of other districts.
/// </summary>
public sealed class DistrictRateLimitOptions
{
    public const string Section = "Gateway:RateLimit";

    /// <summary>Sustained requests per second per district (token bucket refill).</summary>
    public int PermitsPerSecond { get; set; } = 1000;

    /// <summary>Requests a district may send at once above the sustained rate (token bucket size).</summary>
    public int Burst { get; set; } = 2000;

    /// <summary>Requests of one district being served by the services at the same time.</summary>
    public int MaxConcurrent { get; set; } = 8;

    /// <summary>Requests of one district waiting for one of its concurrent places; beyond that, 429.</summary>
    public int QueueLimit { get; set; } = 256;
}

/// <summary>
/// Per-district limits: a token bucket (rate and burst) chained with a concurrency limit and its queue. A 429 says in
/// Retry-After when to try again and names the limits in the ProblemDetails body.
/// </summary>
public static class DistrictRateLimits
{
    public const string Policy = "per-district";

    public static IServiceCollection AddDistrictRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(DistrictRateLimitOptions.Section).Get<DistrictRateLimitOptions>() ?? new();
        if (limits.PermitsPerSecond < 1 || limits.Burst < 1 || limits.MaxConcurrent < 1 || limits.QueueLimit < 0)
        {
            throw new InvalidOperationException(
                $"{DistrictRateLimitOptions.Section}: PermitsPerSecond, Burst and MaxConcurrent must be at least 1, QueueLimit at least 0.");
        }
        // Refill every tenth of a second when the rate divides evenly, so a bucket never sits empty for a whole second.
        var (period, perPeriod) = limits.PermitsPerSecond % 10 == 0
            ? (TimeSpan.FromMilliseconds(100), limits.PermitsPerSecond / 10)
            : (TimeSpan.FromSeconds(1), limits.PermitsPerSecond);

        services.AddRateLimiter(rateLimits =>
        {
            rateLimits.AddPolicy(Policy, http => RateLimitPartition.Get(http.User.TenantId() ?? "anonymous", _ => RateLimiter.CreateChained(
                new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = perPeriod,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }),
                new ConcurrencyLimiter(new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.MaxConcurrent,
                    QueueLimit = limits.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }))));
            rateLimits.OnRejected = (context, _) => Reject(context, limits);
        });
        return services;
    }

    static async ValueTask Reject(OnRejectedContext context, DistrictRateLimitOptions limits)
    {
        // The token bucket says when enough tokens are back; a full queue has no such time, so a second is a fair guess.
        var overRate = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait);
        var retryAfter = overRate ? Math.Max(1, Math.Ceiling(wait.TotalSeconds)) : 1;
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            title: "Too many requests for this district.",
            detail: overRate
                ? $"The limit is {limits.PermitsPerSecond} requests a second with bursts of up to {limits.Burst}; retry after the time in Retry-After."
                : $"At most {limits.MaxConcurrent} requests of a district are served at once and {limits.QueueLimit} more wait; retry after the time in Retry-After.",
            statusCode: StatusCodes.Status429TooManyRequests,
            extensions: new Dictionary<string, object?>
            {
                ["permitsPerSecond"] = limits.PermitsPerSecond,
                ["burst"] = limits.Burst,
                ["maxConcurrent"] = limits.MaxConcurrent,
                ["queueLimit"] = limits.QueueLimit,
            }).ExecuteAsync(context.HttpContext);
    }
}

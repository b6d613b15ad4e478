using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Proxy;

/// <summary>
/// Gateway:RateLimit. The defaults let one district sync 10,000 people through single calls 16 at a time without a
/// 429 (bench/run --only rate-limits measures it, with its neighbour's latency), and a burst cannot hold more than
/// <see cref="MaxConcurrent"/> backend calls at once. An operator can pace a district's writes
/// (<see cref="WritesPerSecond"/>: calls over the rate wait in the district's own queue instead of being refused); the
/// default does not, since pacing writes at 25 a second made a sync ten times slower without bringing the
/// neighbour's p99 within 20 % on the 2-core machine (bench/README.md).
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

    /// <summary>
    /// Sustained writes (POST, PUT, PATCH, DELETE) per second per district. Each write sets off work in every service
    /// downstream (the outbox, Matching, the timeline), so writes, not reads, are what one district can take the machine with.
    /// </summary>
    public int WritesPerSecond { get; set; } = 1000;

    /// <summary>Writes a district may send at once above the sustained rate.</summary>
    public int WriteBurst { get; set; } = 2000;

    /// <summary>Writes waiting for the write rate (a sync sending faster is slowed, not refused); beyond that, 429.</summary>
    public int WriteQueueLimit { get; set; } = 256;
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
        if (limits.PermitsPerSecond < 1 || limits.Burst < 1 || limits.MaxConcurrent < 1 || limits.QueueLimit < 0
            || limits.WritesPerSecond < 1 || limits.WriteBurst < 1 || limits.WriteQueueLimit < 0)
        {
            throw new InvalidOperationException($"{DistrictRateLimitOptions.Section}: PermitsPerSecond, Burst, MaxConcurrent, WritesPerSecond "
                + "and WriteBurst must be at least 1, QueueLimit and WriteQueueLimit at least 0.");
        }
        var (period, perPeriod) = Refill(limits.PermitsPerSecond);
        var (writePeriod, writesPerPeriod) = Refill(limits.WritesPerSecond);

        services.AddRateLimiter(rateLimits =>
        {
            // Every district's writes, paced; applied before the endpoint's policy, so a write waiting for the rate holds
            // none of the district's concurrent places.
            rateLimits.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.TenantId() is { } tenant && IsWrite(http.Request.Method)
                    ? RateLimitPartition.GetTokenBucketLimiter(tenant, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.WriteBurst,
                        TokensPerPeriod = writesPerPeriod,
                        ReplenishmentPeriod = writePeriod,
                        QueueLimit = limits.WriteQueueLimit,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
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

    static bool IsWrite(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    /// <summary>Refill every tenth of a second when the rate divides evenly, so a bucket never sits empty for a whole second.</summary>
    static (TimeSpan Period, int PerPeriod) Refill(int perSecond) => perSecond % 10 == 0
        ? (TimeSpan.FromMilliseconds(100), perSecond / 10)
        : (TimeSpan.FromSeconds(1), perSecond);

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
                ? $"The limit is {limits.PermitsPerSecond} requests a second with bursts of up to {limits.Burst}, and {limits.WritesPerSecond} writes a second "
                    + $"with bursts of up to {limits.WriteBurst} and {limits.WriteQueueLimit} more waiting; retry after the time in Retry-After, "
                    + "or send many people at once through the enrolment import."
                : $"At most {limits.MaxConcurrent} requests of a district are served at once and {limits.QueueLimit} more wait; retry after the time in Retry-After.",
            statusCode: StatusCodes.Status429TooManyRequests,
            extensions: new Dictionary<string, object?>
            {
                ["permitsPerSecond"] = limits.PermitsPerSecond,
                ["burst"] = limits.Burst,
                ["maxConcurrent"] = limits.MaxConcurrent,
                ["queueLimit"] = limits.QueueLimit,
                ["writesPerSecond"] = limits.WritesPerSecond,
                ["writeBurst"] = limits.WriteBurst,
                ["writeQueueLimit"] = limits.WriteQueueLimit,
            }).ExecuteAsync(context.HttpContext);
    }
}

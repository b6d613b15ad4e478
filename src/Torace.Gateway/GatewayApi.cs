using Torace.Gateway.ApiKeys;
using Torace.Gateway.Audit;
using Torace.Gateway.Callers;
using Torace.Gateway.Idempotency;
using Torace.Gateway.ParticipantLinks;
using Torace.Gateway.Proxy;
using Torace.Platform.Api;

namespace Torace.Gateway;

/// <summary>Who may call the gateway, and the endpoints it serves itself (API keys, participant links, the personal data audit) rather than proxies.</summary>
public static class GatewayApi
{
    public static IHostApplicationBuilder AddGatewayApi(this IHostApplicationBuilder builder)
    {
        builder.AddApiKeys();
        builder.AddParticipantLinks();
        builder.AddGatewayCallers();
        builder.AddIdempotentPosts();
        builder.AddPersonalDataAudit();
        builder.Services.AddExceptionHandler<CallerErrorHandler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app)
    {
        // The gateway's own endpoints count against the district's rate like everything it proxies.
        var own = app.MapGroup("").RequireRateLimiting(DistrictRateLimits.Policy);
        own.MapApiKeysApi();
        own.MapParticipantLinksApi();
        own.MapAuditApi();
        return app;
    }
}

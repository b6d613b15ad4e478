using Torace.Gateway.ApiKeys;
using Torace.Gateway.Callers;
using Torace.Gateway.Idempotency;
using Torace.Gateway.ParticipantLinks;
using Torace.Platform.Api;

namespace Torace.Gateway;

/// <summary>Who may call the gateway, and the endpoints it serves itself (API keys, participant links) rather than proxies.</summary>
public static class GatewayApi
{
    public static IHostApplicationBuilder AddGatewayApi(this IHostApplicationBuilder builder)
    {
        builder.AddApiKeys();
        builder.AddParticipantLinks();
        builder.AddGatewayCallers();
        builder.AddIdempotentPosts();
        builder.Services.AddExceptionHandler<CallerErrorHandler>();
        // Describes the gateway's own endpoints; the merged public document at /openapi/v1.json is served by the proxy side.
        builder.Services.AddOpenApi();
        return builder;
    }

    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder app)
    {
        app.MapApiKeysApi();
        app.MapParticipantLinksApi();
        return app;
    }
}

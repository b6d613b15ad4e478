using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Torace.Platform.Tenancy;

namespace Torace.Platform.Api;

public static class ServiceApi
{
    /// <summary>
    /// What every service's HTTP surface shares: service-token authentication required on every endpoint,
    /// ProblemDetails for every error a caller can cause, OpenAPI, camelCase JSON.
    /// </summary>
    public static IHostApplicationBuilder AddServiceApi(this IHostApplicationBuilder builder)
    {
        var tokenOptions = builder.Configuration.GetSection(ServiceTokenOptions.Section).Get<ServiceTokenOptions>() ?? new();
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = ServiceToken.ValidationParameters(tokenOptions);
            });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(ServiceToken.TenantClaim).Build());
        builder.Services.AddExceptionHandler<CallerErrorHandler>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<JsonOptions>(json =>
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower)));
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication UseServiceApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRereadableIdempotentBodies();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.MapDefaultEndpoints();
        return app;
    }
}

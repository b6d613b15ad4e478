using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
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
    /// What every service's HTTP surface shares: service-token authentication required on every endpoint, and
    /// authorisation by the caller the token names (<see cref="ServiceCallerRequirement"/>: scopes by HTTP method,
    /// <see cref="CallerAuthorization.RequireScope{TBuilder}"/>, <see cref="CallerAuthorization.AllowParticipant{TBuilder}"/>),
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
        // Fallback: endpoints without authorization metadata; default: a bare RequireAuthorization(). Anonymous
        // endpoints (OpenAPI, health, metrics, the Hangfire dashboard) say AllowAnonymous and skip both.
        var callers = CallerAuthorization.ServicePolicy();
        builder.Services.AddAuthorizationBuilder().SetDefaultPolicy(callers).SetFallbackPolicy(callers);
        builder.Services.AddCallerAuthorization();
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
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.MapDefaultEndpoints();
        return app;
    }
}

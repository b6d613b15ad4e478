using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Torace.Platform.Tenancy;

namespace Torace.Platform.Api;

/// <summary>Endpoint metadata: this endpoint needs the scope on top of what its HTTP method needs.</summary>
public sealed record RequiredScope(string Scope);

/// <summary>Endpoint metadata: a participant whose link allows this action may call this endpoint.</summary>
public sealed record ParticipantAllowed(string Action);

/// <summary>
/// How a service says who may call an endpoint, beyond the rule every endpoint keeps (GET and HEAD need
/// <c>read</c>, every other method <c>write</c>, participants nowhere). Mark endpoints (or groups) with these instead
/// of <c>RequireAuthorization(...)</c>: a named policy would replace that rule rather than add to it.
/// </summary>
public static class CallerAuthorization
{
    /// <summary>The endpoint needs these scopes as well as the one its method needs (e.g. <c>.RequireScope(Scopes.Admin)</c>).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var scope in scopes)
        {
            if (!Scopes.All.Contains(scope))
            {
                throw new ArgumentException($"'{scope}' is not a scope; scopes are {string.Join(", ", Scopes.All)}.", nameof(scopes));
            }
        }
        return builder.WithMetadata([.. scopes.Select(s => new RequiredScope(s))]);
    }

    /// <summary>
    /// A participant whose link allows one of these actions may call the endpoint, until the link expires. The
    /// endpoint must still check the participant acts for its own enrolment (<see cref="Caller.ActingFor"/>,
    /// <see cref="Caller.RequireParticipantIn"/>).
    /// </summary>
    public static TBuilder AllowParticipant<TBuilder>(this TBuilder builder, params string[] actions) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var action in actions)
        {
            if (!ParticipantActions.All.Contains(action))
            {
                throw new ArgumentException($"'{action}' is not a participant action; actions are {string.Join(", ", ParticipantActions.All)}.", nameof(actions));
            }
        }
        return builder.WithMetadata([.. actions.Select(a => new ParticipantAllowed(a))]);
    }

    /// <summary>The policy every service endpoint answers to: a gateway-signed district and actor, and <see cref="ServiceCallerRequirement"/>.</summary>
    public static AuthorizationPolicy ServicePolicy() => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireClaim(ServiceToken.TenantClaim)
        .AddRequirements(ServiceCallerRequirement.Instance)
        .Build();

    /// <summary>The requirement handlers, and refusals answered as 403 ProblemDetails saying what is missing.</summary>
    public static IServiceCollection AddCallerAuthorization(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, ServiceCallerHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, ScopeHandler>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalAsProblem>();
        return services;
    }
}

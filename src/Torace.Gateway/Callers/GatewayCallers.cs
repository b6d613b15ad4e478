using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;
using Torace.Gateway.ApiKeys;
using Torace.Gateway.Coordinators;
using Torace.Gateway.ParticipantLinks;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Callers;

/// <summary>
/// Who may call the gateway: a district integrator by its API key (X-Api-Key), a coordinator of the admin front end
/// by the token the admin app signs for them, or a participant by a signed link (both Authorization: Bearer, told
/// apart by the token's audience), one of them. Either way the principal reads like the service token it becomes
/// (<see cref="ServiceToken.Identity"/>), so the proxy mints from <c>User.Caller()</c> and the rate limit keys on its tenant.
/// </summary>
public static class GatewayCallers
{
    /// <summary>Picks the API key scheme when X-Api-Key is sent (or nothing is), the link scheme when only Authorization is.</summary>
    public const string Scheme = "district-or-participant";

    /// <summary>The gateway's key management: the admin scope.</summary>
    public const string DistrictAdmin = "district-admin";

    /// <summary>Handing out participant links: the write scope (integrators and coordinators; participants have no scopes).</summary>
    public const string LinkIssuer = "participant-link-issuer";

    /// <summary>A participant following a link (any action), reading what their link allows.</summary>
    public const string Participant = "participant";

    public static IHostApplicationBuilder AddGatewayCallers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "District API key, coordinator or participant link", scheme => scheme.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(ApiKeyAuthentication.Header) || !http.Request.Headers.ContainsKey(HeaderNames.Authorization)
                    ? ApiKeyAuthentication.SchemeName
                    : CoordinatorAuthentication.BearerToken(http.Request) is { } token && CoordinatorToken.IsAddressedToCoordinators(token)
                        ? CoordinatorAuthentication.SchemeName
                        : ParticipantLinkAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, CoordinatorAuthentication>(CoordinatorAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ParticipantLinkAuthentication>(ParticipantLinkAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DistrictAdmin, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(Scopes.Admin)))
            .AddPolicy(LinkIssuer, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(Scopes.Write)))
            .AddPolicy(Participant, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.FindCaller()?.IsParticipant == true));
        // Read now: a missing or short Gateway:CoordinatorSigningKey stops start-up instead of the first sign-in.
        builder.Services.AddSingleton(CoordinatorSigningKey.From(builder.Configuration, CoordinatorAuthentication.KeySetting));
        builder.Services.AddCallerAuthorization();
        return builder;
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;
using Torace.Gateway.ApiKeys;
using Torace.Gateway.ParticipantLinks;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Callers;

/// <summary>
/// Who may call the gateway: a district integrator by its API key (X-Api-Key), or a participant by a signed link
/// (Authorization: Bearer), one or the other. Either way the principal reads like the service token it becomes
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

    public static IHostApplicationBuilder AddGatewayCallers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "District API key or participant link", scheme => scheme.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(ApiKeyAuthentication.Header) || !http.Request.Headers.ContainsKey(HeaderNames.Authorization)
                    ? ApiKeyAuthentication.SchemeName
                    : ParticipantLinkAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ParticipantLinkAuthentication>(ParticipantLinkAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DistrictAdmin, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(Scopes.Admin)))
            .AddPolicy(LinkIssuer, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(Scopes.Write)));
        builder.Services.AddCallerAuthorization();
        return builder;
    }
}

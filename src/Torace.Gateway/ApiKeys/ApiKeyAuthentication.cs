using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.ApiKeys;

/// <summary>Authenticates a district's integrator by its X-Api-Key header: the caller is the key, with the key's scopes.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            return AuthenticateResult.NoResult();
        }
        if (Request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            return AuthenticateResult.Fail("Send either a district API key or a participant link, not both.");
        }
        if (await keys.Authenticate(values[0]!, Context.RequestAborted) is not { } key)
        {
            return AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
        }
        var caller = new Caller(key.TenantId, Actors.Integrator, key.Scopes.ToHashSet(StringComparer.Ordinal), Subject: key.Id.ToString());
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(ServiceToken.Identity(caller, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            title: "A valid district API key is required.",
            detail: failure ?? $"Send the key in the {Header} header.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}

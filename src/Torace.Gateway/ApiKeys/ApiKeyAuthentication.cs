using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.ApiKeys;

/// <summary>Authenticates a district by its X-Api-Key header.</summary>
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
        var tenant = await keys.FindTenant(values[0]!, Context.RequestAborted);
        if (tenant is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var identity = new ClaimsIdentity([new Claim(ServiceToken.TenantClaim, tenant)], SchemeName, ServiceToken.TenantClaim, null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            title: "A valid district API key is required.",
            detail: $"Send the key in the {Header} header.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}

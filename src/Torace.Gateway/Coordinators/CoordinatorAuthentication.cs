using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.Coordinators;

/// <summary>Authenticates a coordinator of the admin front end by the token it sends as <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
public sealed class CoordinatorAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, CoordinatorSigningKey key)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Coordinator";

    /// <summary>Where the gateway reads the key the admin front end signs coordinator tokens with.</summary>
    public const string KeySetting = "Gateway:CoordinatorSigningKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }
        var (coordinator, problem) = await CoordinatorToken.Check(key.Key, token);
        return coordinator is null
            ? AuthenticateResult.Fail(problem!)
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(ServiceToken.Identity(coordinator, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(title: "A valid coordinator token is required.", detail: failure, statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    /// <summary>The token of <c>Authorization: Bearer &lt;token&gt;</c>, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        return authorization is { Length: > 7 and <= 4096 } && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization[7..].Trim()
            : null;
    }
}

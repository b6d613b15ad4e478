using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.ParticipantLinks;

/// <summary>Authenticates a participant by the signed link it sends as <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
public sealed class ParticipantLinkAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ParticipantLinkSigner links)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ParticipantLink";
    const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? authorization = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(authorization))
        {
            return AuthenticateResult.NoResult();
        }
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || authorization.Length > 4096)
        {
            return AuthenticateResult.Fail("Send a participant link as 'Authorization: Bearer <token>'.");
        }
        var check = await links.Check(Token(Request)!);
        if (check.Participant is not { } participant)
        {
            return AuthenticateResult.Fail(check.Problem ?? "The participant link is not valid.");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(ServiceToken.Identity(participant, SchemeName)), SchemeName));
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? Token(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? header[Bearer.Length..].Trim()
            : null;

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            title: "A valid participant link is required.",
            detail: failure ?? "Send the link's token as 'Authorization: Bearer <token>'.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }
}

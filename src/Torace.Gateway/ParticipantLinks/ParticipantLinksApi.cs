using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Gateway.Callers;
using Torace.Gateway.Idempotency;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.ParticipantLinks;

/// <summary>A link for one enrolment and one action; 1 to 720 hours, 168 (a week) when not given.</summary>
public sealed record CreateParticipantLinkRequest(Guid? EnrolmentId, string? Action, int? ExpiresInHours);

/// <summary>The link's token (send it as <c>Authorization: Bearer</c>), the page it opens when one is configured, and when it stops working.</summary>
public sealed record ParticipantLinkCreated(string Token, string? Url, DateTimeOffset ExpiresAt);

/// <summary>An integrator or coordinator with the <c>write</c> scope hands a participant a link for one action.</summary>
public static class ParticipantLinksApi
{
    public const string Path = "/api/v1/participant-links";

    /// <summary>Base address of the participant pages (optional): a link's url is <c>{base}/{action}?token=…</c>.</summary>
    public const string PagesSetting = "Gateway:ParticipantPagesUrl";

    const int DefaultHours = 168;
    const int MaxHours = 720;

    public static IEndpointRouteBuilder MapParticipantLinksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Create).Idempotent<CreateParticipantLinkRequest>()
            .RequireAuthorization(GatewayCallers.LinkIssuer)
            .WithTags("Participant links")
            .WithName("CreateParticipantLink")
            .WithSummary("Sign a link that lets one participant take one action (decline a match, submit a touchpoint, complete a session).")
            .WithDescription("The participant sends the token as 'Authorization: Bearer <token>'; services let it act only for its enrolment, only on "
                + "endpoints that allow its action, until it expires. Needs the write scope.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    static Results<Created<ParticipantLinkCreated>, ValidationProblem> Create(
        CreateParticipantLinkRequest request, ClaimsPrincipal user, ParticipantLinkSigner signer, IConfiguration configuration, TimeProvider clock)
    {
        var hours = request.ExpiresInHours ?? DefaultHours;
        var validation = new Validation()
            .Require(request.EnrolmentId is { } id && id != Guid.Empty, "enrolmentId", "'enrolmentId' names the participant's enrolment.")
            .RequireOneOf(request.Action, "action", ParticipantActions.All)
            .Require(hours is >= 1 and <= MaxHours, "expiresInHours", $"'expiresInHours' must be from 1 to {MaxHours}.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var link = signer.Issue(user.Caller().TenantId, request.EnrolmentId!.Value, request.Action!, TimeSpan.FromHours(hours), clock.GetUtcNow());
        var url = configuration[PagesSetting] is { Length: > 0 } pages
            ? $"{pages.TrimEnd('/')}/{request.Action}?token={Uri.EscapeDataString(link.Token)}"
            : null;
        return TypedResults.Created((string?)null, new ParticipantLinkCreated(link.Token, url, link.ExpiresAt));
    }
}

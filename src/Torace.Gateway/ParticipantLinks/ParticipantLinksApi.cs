using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Gateway.Callers;
using Torace.Gateway.Idempotency;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Gateway.ParticipantLinks;

/// <summary>
/// A link for one enrolment and one action; 1 to 720 hours, 168 (a week) when not given. <c>target</c> names what it acts
/// on, as its API path under /api/v1/ (for example <c>engagements/{id}/touchpoints/{id}</c> for submit-touchpoint): the
/// participant pages need it to open the right form.
/// </summary>
public sealed record CreateParticipantLinkRequest(Guid? EnrolmentId, string? Action, int? ExpiresInHours, string? Target = null);

/// <summary>The link's token (send it as <c>Authorization: Bearer</c>), the page it opens when one is configured, and when it stops working.</summary>
public sealed record ParticipantLinkCreated(string Token, string? Url, DateTimeOffset ExpiresAt);

/// <summary>What the link a participant sends lets them do, so the participant pages can open the right form.</summary>
public sealed record ParticipantLinkResponse(
    string District,
    Guid EnrolmentId,
    [property: AllowedValues(
        ParticipantActions.DeclineMatch, ParticipantActions.SubmitTouchpoint, ParticipantActions.CompleteSession, ParticipantActions.ScheduleSession,
        ParticipantActions.GiveFeedback, ParticipantActions.WithdrawFromEngagement, ParticipantActions.StopReminders)]
    string Action,
    string? Target,
    DateTimeOffset ExpiresAt);

/// <summary>An integrator or coordinator with the <c>write</c> scope hands a participant a link for one action; the participant reads what it allows.</summary>
public static class ParticipantLinksApi
{
    public const string Path = "/api/v1/participant-links";

    /// <summary>The participant's own link, read back.</summary>
    public const string OwnPath = "/api/v1/participant-link";

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
        app.MapGet(OwnPath, Read)
            .RequireAuthorization(GatewayCallers.Participant)
            .WithTags("Participant links")
            .WithName("GetParticipantLink")
            .WithSummary("What the participant link sent as 'Authorization: Bearer <token>' lets its holder do: the district, the enrolment, the action, what it acts on and until when.")
            .WithDescription("A changed, expired or unknown link answers 401 saying which; the participant pages show that instead of a form.")
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
            .Require(hours is >= 1 and <= MaxHours, "expiresInHours", $"'expiresInHours' must be from 1 to {MaxHours}.")
            .Require(request.Target is null || request.Action is null || LinkTargets.Fits(request.Action, request.Target), "target",
                $"'target' is the API path under /api/v1/ of what a '{request.Action}' link acts on, for example "
                + $"'{Example(request.Action)}'.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var link = signer.Issue(user.Caller().TenantId, request.EnrolmentId!.Value, request.Action!, TimeSpan.FromHours(hours), clock.GetUtcNow(), request.Target);
        var url = configuration[ParticipantLinkSigner.PagesSetting] is { Length: > 0 } pages
            ? ParticipantLinkSigner.Url(pages, request.Action!, link.Token)
            : null;
        return TypedResults.Created((string?)null, new ParticipantLinkCreated(link.Token, url, link.ExpiresAt));
    }

    static async Task<Ok<ParticipantLinkResponse>> Read(HttpRequest request, ParticipantLinkSigner signer)
    {
        // The link scheme has checked it already; read it again for what the principal does not carry (its target).
        var check = await signer.Check(ParticipantLinkAuthentication.Token(request)!);
        var participant = check.Participant!;
        return TypedResults.Ok(new ParticipantLinkResponse(
            participant.TenantId, participant.EnrolmentId!.Value, participant.Action!, check.Target, participant.ActionExpiresAt!.Value));
    }

    static string Example(string? action)
    {
        var id = Guid.Empty;
        return action switch
        {
            ParticipantActions.DeclineMatch => LinkTargets.Match(id, id),
            ParticipantActions.SubmitTouchpoint or ParticipantActions.GiveFeedback => LinkTargets.Touchpoint(id, id),
            ParticipantActions.CompleteSession or ParticipantActions.ScheduleSession => LinkTargets.Session(id, 1),
            ParticipantActions.WithdrawFromEngagement => LinkTargets.Engagement(id),
            _ => LinkTargets.Enrolment(id, id),
        };
    }
}

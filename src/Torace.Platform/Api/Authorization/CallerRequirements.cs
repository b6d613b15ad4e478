using Microsoft.AspNetCore.Authorization;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Torace.Platform.Erasure;
using Torace.Platform.Tenancy;

namespace Torace.Platform.Api;

/// <summary>
/// The rule every service endpoint keeps (DESIGN §12): GET and HEAD need <c>read</c>, POST, PUT, PATCH and DELETE
/// <c>write</c>, an endpoint marked <see cref="CallerAuthorization.RequireScope{TBuilder}"/> its scopes as well; a
/// participant is refused everywhere except on an endpoint marked
/// <see cref="CallerAuthorization.AllowParticipant{TBuilder}"/> with its link's action, until the link expires.
/// </summary>
public sealed class ServiceCallerRequirement : IAuthorizationRequirement
{
    public static readonly ServiceCallerRequirement Instance = new();
}

/// <summary>A requirement for one scope, whatever the method (the gateway's own endpoints).</summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

/// <summary>Why a caller was refused, with the scopes it lacks (empty when an action or the actor is the reason).</summary>
public sealed class CallerRefusal(IAuthorizationHandler handler, string message, IReadOnlyList<string> missingScopes)
    : AuthorizationFailureReason(handler, message)
{
    public IReadOnlyList<string> MissingScopes { get; } = missingScopes;
}

/// <summary>
/// Checks <see cref="ServiceCallerRequirement"/>; a participant whose person was erased is refused too, so the links they
/// were emailed allow nothing any more (the service's store remembers each erased enrolment).
/// </summary>
public sealed class ServiceCallerHandler(TimeProvider clock, IServiceProvider services) : AuthorizationHandler<ServiceCallerRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ServiceCallerRequirement requirement)
    {
        // With endpoint routing the authorization middleware passes the request as the resource.
        var http = context.Resource as HttpContext;
        var caller = context.User.FindCaller();
        var refusal = caller is null
            ? new CallerRefusal(this, "The service token names no district or actor.", [])
            : http is null
                ? new CallerRefusal(this, "Service endpoints are authorised per request.", [])
                : Refuse(caller, http.Request.Method, http.GetEndpoint()?.Metadata, clock.GetUtcNow());
        if (refusal is null && caller is { IsParticipant: true, EnrolmentId: { } enrolment } && services.GetService<IDocumentStore>() is { } store)
        {
            await using var session = store.QuerySession(caller.TenantId);
            if (await session.LoadAsync<ErasedEnrolment>(enrolment, http!.RequestAborted) is not null)
            {
                refusal = new CallerRefusal(this, "The person this link was made for has been erased: it allows nothing any more.", []);
            }
        }
        if (refusal is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(refusal);
        }
    }

    /// <summary>Null when the caller may make this call; otherwise why not. No endpoint (an unknown path) is refused like any other.</summary>
    CallerRefusal? Refuse(Caller caller, string method, EndpointMetadataCollection? metadata, DateTimeOffset now)
    {
        if (caller.IsParticipant)
        {
            var allowed = metadata?.GetOrderedMetadata<ParticipantAllowed>() ?? [];
            if (caller.Action is not { } action || !allowed.Any(a => a.Action == action))
            {
                return new CallerRefusal(this, caller.Action is null
                    ? "A participant token without an action allows nothing here."
                    : $"A participant link for '{caller.Action}' does not allow this call.", []);
            }
            return caller.ActionExpiresAt is { } until && until <= now
                ? new CallerRefusal(this, $"The participant link for '{action}' has expired.", [])
                : null;
        }

        var needed = new List<string> { IsRead(method) ? Scopes.Read : Scopes.Write };
        needed.AddRange(metadata?.GetOrderedMetadata<RequiredScope>().Select(r => r.Scope) ?? []);
        var missing = needed.Distinct(StringComparer.Ordinal).Where(s => !caller.HasScope(s)).ToList();
        return missing.Count == 0 ? null : Missing(this, caller, missing);
    }

    static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    internal static CallerRefusal Missing(IAuthorizationHandler handler, Caller caller, IReadOnlyList<string> missing) => new(handler,
        $"This call needs the {string.Join(" and ", missing.Select(s => $"'{s}'"))} scope{(missing.Count > 1 ? "s" : "")}; "
        + $"the caller has {(caller.Scopes.Count == 0 ? "none" : string.Join(", ", caller.Scopes.Order(StringComparer.Ordinal)))}.",
        missing);
}

public sealed class ScopeHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.FindCaller() is not { } caller)
        {
            context.Fail(new CallerRefusal(this, "The principal names no district or actor.", [requirement.Scope]));
        }
        else if (caller.HasScope(requirement.Scope))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(ServiceCallerHandler.Missing(this, caller, [requirement.Scope]));
        }
        return Task.CompletedTask;
    }
}

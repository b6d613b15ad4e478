using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Torace.Platform.Api;

/// <summary>
/// A caller who is known but not allowed gets a 403 ProblemDetails saying which scope or action is missing, instead of
/// an empty 403; every other outcome (401 challenges included) is handled as ASP.NET Core does by default.
/// </summary>
public sealed class RefusalAsProblem(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await standard.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.ToList() ?? [];
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "The caller is not allowed to make this call.",
            Detail = reasons.Count > 0 ? string.Join(" ", reasons.Select(r => r.Message).Distinct()) : "The token does not allow this call.",
        };
        var missing = reasons.OfType<CallerRefusal>().SelectMany(r => r.MissingScopes).Distinct().ToList();
        if (missing.Count > 0)
        {
            problem.Extensions["missingScopes"] = missing;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}

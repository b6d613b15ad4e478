using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Notifications.Deliveries;

/// <summary>
/// One email of the delivery log: what was sent to whom, why (the message that asked for it) and its state. A failed one
/// says why (<c>reason</c>: the mail server <c>rejected</c> it, or was <c>unreachable</c> for 32 minutes of retries, and
/// <c>error</c>: what it said) and can be resent (<c>canResend</c>).
/// </summary>
public sealed record NotificationResponse(
    Guid Id,
    Guid ProgramId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Subject,
    [property: AllowedValues(DeliveryState.Sent, DeliveryState.Failed)] string Status,
    DateTimeOffset? SentAt,
    DateTimeOffset? FailedAt,
    [property: AllowedValues(DeliveryFailure.Rejected, DeliveryFailure.Unreachable)] string? Reason,
    string? Error,
    int Failures,
    bool CanResend,
    string? ResentBy)
{
    public static NotificationResponse From(Delivery d) =>
        new(d.Id, d.ProgramId, d.CausedBy, d.Kind, d.Recipient, d.Subject, d.Status, d.SentAt, d.FailedAt, d.Reason, d.Error, d.Failures, d.CanResend, d.ResentBy);
}

public static class DeliveriesApi
{
    public static RouteGroupBuilder MapDeliveriesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/programs/{programId:guid}/notifications", List)
            .WithTags("Notifications").WithName("ListNotifications").WithAllowedValues("status", "NotificationStatus", DeliveryState.All)
            .WithSummary("What was sent to whom for the program, oldest first, with delivery state; optionally to one recipient, or only the failed ones.");
        api.MapPost("/programs/{programId:guid}/notifications/{notificationId:guid}/resend", Resend)
            .WithTags("Notifications").WithName("ResendNotification")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Sends a failed email again, as it was composed: 200 with it sent, 409 when it is not failed, 502 when the mail server refuses it again, 503 when it is out of reach.");
        return api;
    }

    static async Task<Results<Ok<Page<NotificationResponse>>, ValidationProblem>> List(
        Guid programId, string? recipient, string? status, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(recipient is null || recipient.Length <= 254, "recipient", "'recipient' must be at most 254 characters.")
            .Require(status is null || DeliveryState.All.Contains(status), "status", $"'status' must be one of: {string.Join(", ", DeliveryState.All)}.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        IQueryable<Delivery> query = session.Query<Delivery>().Stats(out var stats).Where(d => d.ProgramId == programId);
        if (recipient is not null)
        {
            query = query.Where(d => d.Recipient == recipient);
        }
        if (status is not null)
        {
            query = query.Where(d => d.Status == status);
        }
        var deliveries = await query.OrderBy(d => d.RecordedAt).ThenBy(d => d.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. deliveries.Select(NotificationResponse.From)], stats.TotalResults, request));
    }

    static async Task<Results<Ok<NotificationResponse>, NotFound, ProblemHttpResult>> Resend(
        Guid programId, Guid notificationId, IQuerySession session, DeliveryLog deliveries, HttpContext http, CancellationToken ct)
    {
        if (await session.LoadAsync<Delivery>(notificationId, ct) is not { } delivery || delivery.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        var caller = http.User.Caller();
        var outcome = await deliveries.Resend(session.TenantId, notificationId, $"{caller.Actor}:{caller.Subject}", ct);
        switch (outcome)
        {
            case ResendOutcome.NotFailed:
                return TypedResults.Problem(title: "Only a failed email is sent again.",
                    detail: "This email went out already; the delivery log never sends one twice.", statusCode: StatusCodes.Status409Conflict);
            case ResendOutcome.Erased:
                return TypedResults.Problem(title: "The recipient was erased.", detail: "Nobody is there to send it to.", statusCode: StatusCodes.Status409Conflict);
            case ResendOutcome.Unreachable unreachable:
                http.Response.Headers.RetryAfter = "60";
                return TypedResults.Problem(title: "The mail server could not be reached.", detail: $"{unreachable.Error} Retry after the time in Retry-After.",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            case ResendOutcome.Rejected rejected:
                return TypedResults.Problem(title: "The mail server refused the email again.", detail: rejected.Error, statusCode: StatusCodes.Status502BadGateway);
        }
        await using var fresh = session.DocumentStore.QuerySession(session.TenantId);
        return TypedResults.Ok(NotificationResponse.From((await fresh.LoadAsync<Delivery>(notificationId, ct))!));
    }
}

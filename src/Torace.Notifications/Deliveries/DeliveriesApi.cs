using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;

namespace Torace.Notifications.Deliveries;

/// <summary>One email of the delivery log: what was sent to whom, why (the message that asked for it) and its state.</summary>
public sealed record NotificationResponse(
    Guid Id,
    Guid ProgramId,
    Guid CausedBy,
    string Kind,
    string Recipient,
    string Subject,
    [property: AllowedValues("sent")] string Status,
    DateTimeOffset SentAt)
{
    public static NotificationResponse From(Delivery d) => new(d.Id, d.ProgramId, d.CausedBy, d.Kind, d.Recipient, d.Subject, d.Status, d.SentAt);
}

public static class DeliveriesApi
{
    public static RouteGroupBuilder MapDeliveriesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/programs/{programId:guid}/notifications", List)
            .WithTags("Notifications").WithName("ListNotifications")
            .WithSummary("What was sent to whom for the program, oldest first, with delivery state; optionally to one recipient.");
        return api;
    }

    static async Task<Results<Ok<Page<NotificationResponse>>, ValidationProblem>> List(
        Guid programId, string? recipient, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation().Require(recipient is null || recipient.Length <= 254, "recipient", "'recipient' must be at most 254 characters.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        IQueryable<Delivery> query = session.Query<Delivery>().Stats(out var stats).Where(d => d.ProgramId == programId);
        if (recipient is not null)
        {
            query = query.Where(d => d.Recipient == recipient);
        }
        var deliveries = await query.OrderBy(d => d.SentAt).ThenBy(d => d.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. deliveries.Select(NotificationResponse.From)], stats.TotalResults, request));
    }
}

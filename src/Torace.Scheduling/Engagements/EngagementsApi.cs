using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Scheduling.Engagements;

public sealed record SubmissionRequest(string? Response);

public sealed record EngagementPerson(Guid EnrolmentId, string Name, string Email, string Site, string TimeZone);

public sealed record SessionResponse(
    int Number,
    [property: AllowedValues("virtual", "in-person", "either")] string Modality,
    DateTimeOffset? StartsAt,
    [property: AllowedValues("scheduled", "completed")] string Status);

public sealed record TouchpointResponse(
    Guid Id,
    [property: AllowedValues("pre-reflection", "session-reminder", "plan-feedback", "action-steps", "work-product", "post-reflection")] string Kind,
    int? SessionNumber,
    DateTimeOffset DueAt,
    [property: AllowedValues("scheduled", "due", "submitted")] string Status,
    IReadOnlyList<Guid> RecipientIds);

/// <summary>The life of a published match: its people, sessions and touchpoints with their states.</summary>
public sealed record EngagementResponse(
    Guid Id,
    Guid ProgramId,
    Guid MatchId,
    [property: AllowedValues("active", "completed", "cancelled")] string Status,
    EngagementPerson Mentor,
    IReadOnlyList<EngagementPerson> Mentees,
    IReadOnlyList<SessionResponse> Sessions,
    IReadOnlyList<TouchpointResponse> Touchpoints)
{
    public static EngagementResponse From(Engagement e) => new(e.Id, e.ProgramId, e.MatchId, e.Status, Person(e.Mentor), [.. e.Mentees.Select(Person)],
        [.. e.Sessions.Select(s => new SessionResponse(s.Number, s.Modality, s.StartsAt, s.Status))],
        [.. e.Touchpoints.Select(t => new TouchpointResponse(t.Id, t.Kind, t.SessionNumber, t.DueAt, t.Status, t.RecipientIds))]);

    static EngagementPerson Person(Torace.Contracts.Participant p) => new(p.EnrolmentId, p.Name, p.Email, p.Site, p.TimeZone);
}

public static class EngagementsApi
{
    static readonly string[] Statuses = [EngagementStatus.Active, EngagementStatus.Completed, EngagementStatus.Cancelled];

    public static RouteGroupBuilder MapEngagementsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/programs/{programId:guid}/engagements", List)
            .WithTags("Engagements").WithName("ListEngagements").WithAllowedValues("status", "EngagementStatus", Statuses)
            .WithSummary("The program's engagements with their sessions and touchpoints, optionally with one status.");
        var engagements = api.MapGroup("/engagements/{engagementId:guid}").WithTags("Engagements");
        engagements.MapGet("/", Get).WithName("GetEngagement").WithSummary("One engagement; the ETag is its version.");
        engagements.MapPost("/sessions/{number:int}/complete", CompleteSession).WithName("CompleteSession")
            .WithSummary("Mark a session done (SessionCompleted); the last one completes the engagement. Completing it again changes nothing.")
            .AllowParticipant(ParticipantActions.CompleteSession);
        engagements.MapPost("/touchpoints/{touchpointId:guid}/submission", Submit).WithName("SubmitTouchpoint")
            .WithSummary("Submit a reflection or touchpoint report (TouchpointSubmitted). Submitting again changes nothing.")
            .WithExample(new SubmissionRequest("We agreed on two routines to try with my class this week."))
            .AllowParticipant(ParticipantActions.SubmitTouchpoint);
        return api;
    }

    static async Task<Results<Ok<Page<EngagementResponse>>, ValidationProblem>> List(
        Guid programId, string? status, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation().Require(status is null || Statuses.Contains(status), "status", $"'status' must be one of: {string.Join(", ", Statuses)}.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        IQueryable<Engagement> query = session.Query<Engagement>().Stats(out var stats).Where(e => e.ProgramId == programId);
        if (status is not null)
        {
            query = query.Where(e => e.Status == status);
        }
        var engagements = await query.OrderBy(e => e.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. engagements.Select(EngagementResponse.From)], stats.TotalResults, request));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound>> Get(Guid engagementId, IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        if (await session.LoadAsync<Engagement>(engagementId, ct) is not { } engagement)
        {
            return TypedResults.NotFound();
        }
        response.SetETag(await Versions.Of(session, engagementId, ct));
        return TypedResults.Ok(EngagementResponse.From(engagement));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound>> CompleteSession(
        Guid engagementId, int number, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await session.Change<Engagement>(engagementId, http, e =>
        {
            http.User.Caller().RequireParticipantIn(e.Participants.Select(p => p.EnrolmentId));
            return EngagementDecisions.CompleteSession(e, number, clock.GetUtcNow());
        }, ct) is { } changed
            ? TypedResults.Ok(EngagementResponse.From(changed.State))
            : TypedResults.NotFound();

    static async Task<Results<Ok<EngagementResponse>, NotFound, ValidationProblem>> Submit(
        Guid engagementId, Guid touchpointId, SubmissionRequest? request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request?.Response is null || request.Response.Length <= 20_000, "response", "'response' must be at most 20000 characters.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        return await session.Change<Engagement>(engagementId, http, e =>
        {
            http.User.Caller().RequireParticipantIn(e.Touchpoint(touchpointId)?.RecipientIds ?? []);
            return EngagementDecisions.Submit(e, touchpointId, request?.Response, clock.GetUtcNow());
        }, ct) is { } changed
            ? TypedResults.Ok(EngagementResponse.From(changed.State))
            : TypedResults.NotFound();
    }
}

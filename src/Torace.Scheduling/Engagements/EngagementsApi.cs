using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;
using Torace.Scheduling.Touchpoints;

namespace Torace.Scheduling.Engagements;

/// <summary>A reflection or touchpoint report: text (up to 10,000 characters) and an optional link to a work product.</summary>
public sealed record SubmissionRequest(string? Response, string? Link = null);

/// <summary>Set, propose or move a session's date. A participant proposes; a coordinator or integrator sets, and needs a reason to move a date.</summary>
public sealed record SessionDateRequest(
    DateTimeOffset? StartsAt,
    [property: AllowedValues("virtual", "in-person", "either")] string? Modality = null,
    string? Reason = null);

/// <summary>Whether the session took place (false records a no-show), and optional notes.</summary>
public sealed record SessionCompletionRequest(bool? Attended = null, string? Notes = null);

public sealed record FeedbackRequest(string? Text);

/// <summary>Who leaves (a participant link names itself; a coordinator names the enrolment) and why.</summary>
public sealed record WithdrawalRequest(Guid? EnrolmentId = null, string? Reason = null);

public sealed record EarlyCompletionRequest(string? Reason = null);

public sealed record EngagementPerson(Guid EnrolmentId, string Name, string Email, string Site, string TimeZone);

public sealed record SessionResponse(
    int Number,
    [property: AllowedValues("virtual", "in-person", "either")] string Modality,
    DateTimeOffset? StartsAt,
    [property: AllowedValues("unscheduled", "scheduled", "completed", "no-show")] string Status,
    int Sequence,
    DateTimeOffset? ProposedStartsAt,
    [property: AllowedValues("virtual", "in-person", "either")] string? ProposedModality,
    Guid? ProposedBy,
    string? ProposalReason,
    string? Notes);

public sealed record TouchpointResponse(
    Guid Id,
    [property: AllowedValues("pre-reflection", "session-reminder", "plan-feedback", "action-steps", "work-product", "post-reflection")] string Kind,
    int? SessionNumber,
    Guid RecipientId,
    DateTimeOffset? DueAt,
    [property: AllowedValues("pending", "due", "late", "submitted", "missed", "sent", "cancelled")] string Status,
    string? Prompt,
    string? Response,
    string? Link,
    DateTimeOffset? SubmittedAt,
    string? Feedback);

/// <summary>One pairing of a speed-mentoring event: who meets whom in which round (the round is the session of that number).</summary>
public sealed record MeetingResponse(int Round, Guid MatchId, EngagementPerson Mentor, IReadOnlyList<EngagementPerson> Mentees);

/// <summary>
/// The life of a published match: its people, sessions and touchpoints with their states, and what needs a coordinator's
/// eye. A speed-mentoring event is one engagement: its sessions are the rounds, <c>meetings</c> says who meets whom in
/// each, <c>mentors</c> and <c>mentees</c> list everyone (<c>mentor</c> is null there); <c>matchId</c> is its first pairing's.
/// </summary>
public sealed record EngagementResponse(
    Guid Id,
    Guid ProgramId,
    Guid MatchId,
    [property: AllowedValues("active", "completed", "cancelled")] string Status,
    EngagementPerson? Mentor,
    IReadOnlyList<EngagementPerson> Mentees,
    IReadOnlyList<SessionResponse> Sessions,
    IReadOnlyList<TouchpointResponse> Touchpoints,
    DateTimeOffset LastActivityAt,
    IReadOnlyList<string> Attention,
    IReadOnlyList<EngagementPerson> Mentors,
    IReadOnlyList<MeetingResponse>? Meetings,
    string ProgramName)
{
    public static EngagementResponse From(Engagement e) => new(e.Id, e.ProgramId, e.MatchId, e.Status,
        e.IsSpeedEvent ? null : e.Mentors.Select(Person).FirstOrDefault(), [.. e.Mentees.Select(Person)],
        [.. e.Sessions.Select(s => new SessionResponse(s.Number, s.Modality, s.StartsAt, s.Status, s.Sequence,
            s.Proposal?.StartsAt, s.Proposal?.Modality, s.Proposal?.ProposedBy, s.Proposal?.Reason, s.Notes))],
        [.. e.Touchpoints.Select(t => new TouchpointResponse(t.Id, t.Kind, t.SessionNumber, t.RecipientId, t.DueAt, t.Status, t.Prompt,
            t.Response, t.Link, t.SubmittedAt, t.Feedback))],
        e.LastActivityAt, e.Attention, [.. e.Mentors.Select(Person)],
        e.Meetings is { } meetings
            ? [.. meetings.OrderBy(m => m.Round).Select(m => new MeetingResponse(m.Round, m.MatchId, Person(m.Mentor), [.. m.Mentees.Select(Person)]))]
            : null,
        e.ProgramName);

    static EngagementPerson Person(Torace.Contracts.Participant p) => new(p.EnrolmentId, p.Name, p.Email, p.Site, p.TimeZone);
}

public static class EngagementsApi
{
    static readonly string[] Modalities = ["virtual", "in-person", "either"];

    public static RouteGroupBuilder MapEngagementsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/programs/{programId:guid}/engagements", List)
            .WithTags("Engagements").WithName("ListEngagements").WithAllowedValues("status", "EngagementStatus", EngagementStatus.All)
            .WithSummary("The program's engagements with their sessions and touchpoints, optionally with one status.");
        api.MapGet("/programs/{programId:guid}/attention", Attention)
            .WithTags("Engagements").WithName("ListEngagementsNeedingAttention")
            .WithSummary("What a coordinator should look at: stalled engagements, overdue or missed touchpoints, unconfirmed dates, no-shows.");
        var engagements = api.MapGroup("/engagements/{engagementId:guid}").WithTags("Engagements");
        engagements.MapGet("/", Get).WithName("GetEngagement").WithSummary("One engagement; the ETag is its version.")
            .WithDescription("A participant link for anything in the engagement reads it too (the participant pages show what the link is for).")
            .AllowParticipant(ParticipantActions.ScheduleSession, ParticipantActions.CompleteSession, ParticipantActions.SubmitTouchpoint,
                ParticipantActions.GiveFeedback, ParticipantActions.WithdrawFromEngagement);
        engagements.MapPut("/sessions/{number:int}", SetDate).WithName("SetSessionDate")
            .WithSummary("Set, propose or move a session's date. A participant proposes (the other side confirms or counters); a coordinator sets it, and moving a date needs a reason. Every reminder that depends on the date moves with it (SessionScheduled, SessionRescheduled with its sequence).")
            .WithExample(new SessionDateRequest(new DateTimeOffset(2026, 10, 6, 15, 30, 0, TimeSpan.Zero), "virtual", "The first date clashed with parent conferences."))
            .AllowParticipant(ParticipantActions.ScheduleSession);
        engagements.MapPost("/sessions/{number:int}/confirm", ConfirmDate).WithName("ConfirmSessionDate")
            .WithSummary("Confirm the date the other side proposed for a session.")
            .AllowParticipant(ParticipantActions.ScheduleSession);
        engagements.MapPost("/sessions/{number:int}/complete", CompleteSession).WithName("CompleteSession")
            .WithSummary("Mark a session done, attended or a no-show, with optional notes (SessionCompleted); its reminders stop. The last one done, with every post-reflection in, completes the engagement. Completing it again changes nothing.")
            .WithExample(new SessionCompletionRequest(true, "We planned two routines to try this week."))
            .AllowParticipant(ParticipantActions.CompleteSession);
        engagements.MapPost("/touchpoints/{touchpointId:guid}/submission", Submit).WithName("SubmitTouchpoint")
            .WithSummary("Submit a reflection or touchpoint report, with an optional link to a work product (TouchpointSubmitted). Submitting again changes nothing.")
            .WithExample(new SubmissionRequest("We agreed on two routines to try with my class this week.", "https://docs.example.org/lesson-plan"))
            .AllowParticipant(ParticipantActions.SubmitTouchpoint);
        engagements.MapPost("/touchpoints/{touchpointId:guid}/feedback", GiveFeedback).WithName("GiveFeedback")
            .WithSummary("The mentor's feedback on a mentee's submitted reflection or report.")
            .WithExample(new FeedbackRequest("Strong plan: try the exit ticket on Friday and bring what you see."))
            .AllowParticipant(ParticipantActions.GiveFeedback);
        engagements.MapPost("/withdraw", Withdraw).WithName("WithdrawFromEngagement")
            .WithSummary("A participant leaves the engagement: the mentor or the last mentee ends it (EngagementEnded), a group mentee leaves the others engaged.")
            .WithExample(new WithdrawalRequest(null, "I am moving to another district."))
            .AllowParticipant(ParticipantActions.WithdrawFromEngagement);
        engagements.MapPost("/complete", CompleteEarly).WithName("CompleteEngagement")
            .WithSummary("A coordinator completes the engagement before its plan is done (EngagementCompleted with the hours met so far).")
            .WithExample(new EarlyCompletionRequest("The pair met their goal in two sessions."));
        return api;
    }

    static async Task<Results<Ok<Page<EngagementResponse>>, ValidationProblem>> List(
        Guid programId, string? status, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation().Require(status is null || EngagementStatus.All.Contains(status), "status",
            $"'status' must be one of: {string.Join(", ", EngagementStatus.All)}.");
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

    static async Task<Results<Ok<Page<EngagementResponse>>, ValidationProblem>> Attention(
        Guid programId, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation();
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        var engagements = await session.Query<Engagement>().Stats(out var stats)
            .Where(e => e.ProgramId == programId && e.NeedsAttention)
            .OrderBy(e => e.LastActivityAt).ThenBy(e => e.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. engagements.Select(EngagementResponse.From)], stats.TotalResults, request));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound>> Get(
        Guid engagementId, IQuerySession session, HttpContext http, HttpResponse response, CancellationToken ct)
    {
        if (await session.LoadAsync<Engagement>(engagementId, ct) is not { } engagement)
        {
            return TypedResults.NotFound();
        }
        http.User.Caller().RequireParticipantIn(engagement.Participants.Select(p => p.EnrolmentId));
        response.SetETag(await Versions.Of(session, engagementId, ct));
        return TypedResults.Ok(EngagementResponse.From(engagement));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound, ValidationProblem>> SetDate(
        Guid engagementId, int number, SessionDateRequest? request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var validation = new Validation()
            .Require(request?.StartsAt is not null, "startsAt", "'startsAt' is required: the session's start, with its offset.")
            .Require(request?.StartsAt is null || request.StartsAt > now, "startsAt", "'startsAt' must be in the future.")
            .Require(request?.Modality is null || Modalities.Contains(request.Modality), "modality", $"'modality' must be one of: {string.Join(", ", Modalities)}.")
            .AtMost(request?.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        return Answer(await Change(session, engagementId, http, now, e =>
            EngagementDecisions.SetDate(e, number, request!.StartsAt!.Value, request.Modality, request.Reason, Participant(http, e), now), ct));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound>> ConfirmDate(
        Guid engagementId, int number, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await Change(session, engagementId, http, now, e => EngagementDecisions.ConfirmDate(e, number, Participant(http, e), now), ct) is { } changed
            ? TypedResults.Ok(EngagementResponse.From(changed.State))
            : TypedResults.NotFound();
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound, ValidationProblem>> CompleteSession(
        Guid engagementId, int number, SessionCompletionRequest? request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation().AtMost(request?.Notes, "notes", EngagementDecisions.MaxTextLength);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var now = clock.GetUtcNow();
        return Answer(await Change(session, engagementId, http, now, e =>
        {
            Participant(http, e);
            return EngagementDecisions.CompleteSession(e, number, request?.Attended ?? true, request?.Notes, now);
        }, ct));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound, ValidationProblem>> Submit(
        Guid engagementId, Guid touchpointId, SubmissionRequest? request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation()
            .AtMost(request?.Response, "response", EngagementDecisions.MaxTextLength)
            .Require(request?.Link is null || (Uri.TryCreate(request.Link, UriKind.Absolute, out var link) && link.Scheme is "https" or "http" && request.Link.Length <= 2_000),
                "link", "'link' must be an absolute http or https address of at most 2000 characters.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var now = clock.GetUtcNow();
        return Answer(await Change(session, engagementId, http, now, e =>
            EngagementDecisions.Submit(e, touchpointId, request?.Response, request?.Link, Participant(http, e), now), ct));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound, ValidationProblem>> GiveFeedback(
        Guid engagementId, Guid touchpointId, FeedbackRequest? request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation().RequireText(request?.Text, "text", EngagementDecisions.MaxTextLength);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var now = clock.GetUtcNow();
        return Answer(await Change(session, engagementId, http, now, e =>
            EngagementDecisions.GiveFeedback(e, touchpointId, request!.Text!, Participant(http, e), now), ct));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound, ValidationProblem>> Withdraw(
        Guid engagementId, WithdrawalRequest? request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var enrolment = http.User.Caller().ActingFor(request?.EnrolmentId);
        var validation = new Validation()
            .Require(enrolment is not null, "enrolmentId", "'enrolmentId' is required: the participant who leaves.")
            .AtMost(request?.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var now = clock.GetUtcNow();
        return Answer(await Change(session, engagementId, http, now, e =>
        {
            Participant(http, e);
            return EngagementDecisions.Withdraw(e, enrolment!.Value, request?.Reason, now);
        }, ct));
    }

    static async Task<Results<Ok<EngagementResponse>, NotFound, ValidationProblem>> CompleteEarly(
        Guid engagementId, EarlyCompletionRequest? request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation().AtMost(request?.Reason, "reason", 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var now = clock.GetUtcNow();
        return Answer(await Change(session, engagementId, http, now, e => EngagementDecisions.CompleteEarly(e, request?.Reason, now), ct));
    }

    /// <summary>Every change of an engagement: decided on its stream, with its due-table rows brought up to date in the same transaction.</summary>
    static Task<Changed<Engagement>?> Change(
        IDocumentSession session, Guid engagementId, HttpContext http, DateTimeOffset now, Func<Engagement, IReadOnlyList<object>> decide, CancellationToken ct) =>
        session.Change(engagementId, http, decide, ct, (s, before, events) => DueTable.Sync(s, before.After(events), now));

    static Results<Ok<EngagementResponse>, NotFound, ValidationProblem> Answer(Changed<Engagement>? changed) =>
        changed is not null ? TypedResults.Ok(EngagementResponse.From(changed.State)) : TypedResults.NotFound();

    /// <summary>The participant the call acts as (null for a coordinator or integrator), who must take part in the engagement.</summary>
    static Guid? Participant(HttpContext http, Engagement engagement)
    {
        var caller = http.User.Caller();
        caller.RequireParticipantIn(engagement.Participants.Select(p => p.EnrolmentId));
        return caller.IsParticipant ? caller.EnrolmentId : null;
    }
}

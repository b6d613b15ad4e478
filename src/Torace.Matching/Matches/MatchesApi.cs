using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Matching.Matches;

public sealed record DeclineRequest(Guid? EnrolmentId, string? Reason);

public sealed record MatchedPersonResponse(
    Guid EnrolmentId,
    string ExternalId,
    string Name,
    string Email,
    string Site,
    [property: AllowedValues("matched", "declined", "withdrawn")] string Status);

/// <summary>A published match: who is in it, why it was made, and whether it still stands.</summary>
public sealed record MatchResponse(
    Guid Id,
    Guid ProgramId,
    Guid RunId,
    int Round,
    MatchedPersonResponse Mentor,
    IReadOnlyList<MatchedPersonResponse> Mentees,
    double Score,
    IReadOnlyList<string> Reasons,
    [property: AllowedValues("published", "declined", "withdrawn", "completed", "cancelled")] string Status,
    DateTimeOffset PublishedAt)
{
    public static MatchResponse From(Match match) => new(match.Id, match.ProgramId, match.RunId, match.Round,
        Person(match, match.Mentor), [.. match.Mentees.Select(m => Person(match, m))], match.Score, match.Reasons, match.Status, match.PublishedAt);

    static MatchedPersonResponse Person(Match match, MatchedPerson p) => new(p.EnrolmentId, p.ExternalId, p.Name, p.Email, p.Site,
        match.HasWithdrawn(p.EnrolmentId) ? "withdrawn" : match.DeclinedBy.Contains(p.EnrolmentId) ? "declined" : "matched");
}

public static class MatchesApi
{
    static readonly string[] Statuses = MatchStatus.All;

    public static RouteGroupBuilder MapMatchesApi(this RouteGroupBuilder api)
    {
        var matches = api.MapGroup("/programs/{programId:guid}/matches").WithTags("Matches");
        matches.MapGet("/", List).WithName("ListMatches").WithAllowedValues("status", "MatchStatus", Statuses)
            .WithSummary("The program's published matches in the order they were published, optionally of one run or with one status "
                + "(published, declined, withdrawn when a participant left the program, completed).");
        matches.MapGet("/{matchId:guid}", Get).WithName("GetMatch").WithSummary("One match; the ETag is its version.")
            .WithDescription("A mentor's or mentee's decline link reads their own match too (the participant pages show it before the decline).")
            .AllowParticipant(ParticipantActions.DeclineMatch);
        matches.MapPost("/{matchId:guid}/decline", Decline).WithName("DeclineMatch")
            .WithSummary("A mentor or mentee declines the match: MatchDeclined, the pair is never proposed again, and whoever is left waiting is re-matched.")
            .WithDescription("A participant's link acts for its own enrolment; an integrator or coordinator names the enrolment that declines.")
            .WithExample(new DeclineRequest(Guid.Parse("0195c3e2-6a01-7000-8000-000000000001"), "I am on leave next month."))
            .AllowParticipant(ParticipantActions.DeclineMatch);
        return api;
    }

    static async Task<Results<Ok<Page<MatchResponse>>, ValidationProblem>> List(
        Guid programId, Guid? runId, string? status, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation().Require(status is null || Statuses.Contains(status), "status", $"'status' must be one of: {string.Join(", ", Statuses)}.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        IQueryable<Match> query = session.Query<Match>().Stats(out var stats).Where(m => m.ProgramId == programId);
        if (runId is { } run)
        {
            query = query.Where(m => m.RunId == run);
        }
        if (status is not null)
        {
            query = query.Where(m => m.Status == status);
        }
        var matches = await query.OrderBy(m => m.PublishedAt).ThenBy(m => m.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. matches.Select(MatchResponse.From)], stats.TotalResults, request));
    }

    static async Task<Results<Ok<MatchResponse>, NotFound>> Get(
        Guid programId, Guid matchId, IQuerySession session, HttpContext http, HttpResponse response, CancellationToken ct)
    {
        if (await session.LoadAsync<Match>(matchId, ct) is not { } match || match.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        http.User.Caller().RequireParticipantIn(match.Mentees.Select(m => m.EnrolmentId).Prepend(match.Mentor.EnrolmentId));
        response.SetETag(await Versions.Of(session, matchId, ct));
        return TypedResults.Ok(MatchResponse.From(match));
    }

    static async Task<Results<Ok<MatchResponse>, ValidationProblem, NotFound>> Decline(
        Guid programId, Guid matchId, DeclineRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var decliner = http.User.Caller().ActingFor(request.EnrolmentId);
        var validation = new Validation()
            .Require(decliner is { } d && d != Guid.Empty, "enrolmentId", "'enrolmentId' names the mentor or mentee who declines.")
            .Require(request.Reason is null || request.Reason.Length <= 1000, "reason", "'reason' must be at most 1000 characters.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<Match>(matchId, ct) is not { } found || found.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        var changed = await session.Change<Match>(matchId, http,
            match =>
        {
            http.User.Caller().RequireParticipantIn(match.Mentees.Select(m => m.EnrolmentId).Append(match.Mentor.EnrolmentId));
            return [MatchDecisions.Decline(match, decliner!.Value, request.Reason?.Trim(), clock.GetUtcNow())];
        }, ct);
        return changed is null ? TypedResults.NotFound() : TypedResults.Ok(MatchResponse.From(changed.State));
    }
}

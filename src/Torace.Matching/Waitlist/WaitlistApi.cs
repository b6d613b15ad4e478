using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Matching.Candidates;
using Torace.Matching.Problems;
using Torace.Matching.Runs;
using Torace.Platform.Api;

namespace Torace.Matching.Waitlist;

public sealed record WaitingMentee(Guid EnrolmentId, string Name, string Site, DateTimeOffset EnrolledAt, string Reason);

public static class WaitlistApi
{
    public const string NotYetMatched = "not-yet-matched";

    public static RouteGroupBuilder MapWaitlistApi(this RouteGroupBuilder api)
    {
        api.MapGet("/programs/{programId:guid}/waitlist", List)
            .WithTags("Waitlist").WithName("ListWaitlist")
            .WithSummary("Mentees waiting for a mentor, in the order they enrolled, each with the reason the last run or placement gave.");
        return api;
    }

    static async Task<Results<Ok<Page<WaitingMentee>>, ValidationProblem>> List(
        Guid programId, int? limit, string? cursor, IQuerySession session, TimeProvider clock, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation();
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<MatchingProgram>(programId, ct) is not { } program)
        {
            return TypedResults.Ok(page.Of<WaitingMentee>([], request)); // the gateway knows the program; Matching has not heard it opened
        }
        var context = await MatchingProblems.Load(session, program, clock.GetUtcNow(), ct);
        var runs = await session.Query<MatchingRun>()
            .Where(r => r.ProgramId == programId && r.Status != RunStatus.Running && r.Status != RunStatus.Failed)
            .OrderByDescending(r => r.StartedAt)
            .Take(50)
            .ToListAsync(ct);
        // The newest run that left a mentee out gives the reason.
        var reasons = new Dictionary<Guid, string>();
        foreach (var unmatched in runs.SelectMany(r => r.Unmatched))
        {
            reasons.TryAdd(unmatched.EnrolmentId, unmatched.Reason);
        }
        string ReasonFor(Guid id) => reasons.GetValueOrDefault(id, NotYetMatched);
        return TypedResults.Ok(page.Of<WaitingMentee>([.. context.Problem.Mentees
            .Select(m => context.People[m.Id])
            .Select(c => new WaitingMentee(c.Id, c.Name, c.Site, c.EnrolledAt, ReasonFor(c.Id)))], request));
    }
}

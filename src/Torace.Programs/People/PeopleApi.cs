using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.People;

public static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        var people = api.MapGroup("/people/{externalId}").WithTags("People");
        people.MapGet("/", Get).WithName("GetPerson")
            .WithSummary("One person of the district by their externalId: their enrolments across the district's programs, their matches and engagements.");
        people.MapGet("/plan", Plan).WithName("GetPersonPlan")
            .WithSummary("A person's PD plan: every program they took part in, their role, sessions completed, hours (sessions × the program's session length) and reflections submitted.");
        return api;
    }

    static async Task<Results<Ok<PersonResponse>, ValidationProblem, NotFound>> Get(string externalId, IQuerySession session, CancellationToken ct) =>
        await Answer(externalId, session, PersonPages.Person, ct);

    static async Task<Results<Ok<PlanResponse>, ValidationProblem, NotFound>> Plan(string externalId, IQuerySession session, CancellationToken ct) =>
        await Answer(externalId, session, PersonPages.Plan, ct);

    static async Task<Results<Ok<T>, ValidationProblem, NotFound>> Answer<T>(
        string externalId, IQuerySession session, Func<string, PersonFacts, T> page, CancellationToken ct)
    {
        var validation = new Validation().RequireText(externalId, "externalId", 100);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var facts = await FactsOf(externalId.Trim(), session, ct);
        return facts is null ? TypedResults.NotFound() : TypedResults.Ok(page(externalId.Trim(), facts));
    }

    /// <summary>The person's documents in the caller's district (the session is the district's), or null when the district has no such person.</summary>
    static async Task<PersonFacts?> FactsOf(string externalId, IQuerySession session, CancellationToken ct)
    {
        var enrolments = await session.Query<Enrolment.Enrolment>()
            .Where(e => e.Profile.ExternalId.Equals(externalId, StringComparison.OrdinalIgnoreCase))
            .ToListAsync(ct);
        if (enrolments.Count == 0)
        {
            return null;
        }
        var ids = enrolments.Select(e => e.Id).ToHashSet();
        var programIds = enrolments.Select(e => e.Profile.ProgramId).Distinct().ToArray();
        var programs = await session.LoadManyAsync<ProgramState>(ct, programIds);
        var matches = (await session.Query<MatchRecord>().Where(m => m.ProgramId.IsOneOf(programIds)).ToListAsync(ct))
            .Where(m => m.Participants.Any(ids.Contains)).ToList();
        var matchIds = matches.Select(m => m.Id).ToHashSet();
        var engagements = (await session.Query<EngagementRecord>().Where(e => e.ProgramId.IsOneOf(programIds)).ToListAsync(ct))
            .Where(e => e.Matches.Any(matchIds.Contains)).ToList();
        return new PersonFacts(enrolments, programs.ToDictionary(p => p.Id), matches, engagements);
    }
}

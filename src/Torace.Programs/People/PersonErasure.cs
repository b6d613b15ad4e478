using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Platform.Storage;
using Torace.Platform.Tenancy;

namespace Torace.Programs.People;

/// <summary>
/// That a district erased a person, keyed by a name-based id of their external id so that erasing them again answers the
/// same; it holds no personal data, only which enrolments were erased, the pseudonym they are known by afterwards, when,
/// and by whom (the caller's kind and key or user id).
/// </summary>
public sealed record PersonErasure(Guid Id, IReadOnlyList<Guid> EnrolmentIds, Guid Pseudonym, DateTimeOffset ErasedAt, string ErasedBy)
{
    public static Guid IdFor(string externalId) => NameBasedId.From($"erasure|{externalId.Trim().ToLowerInvariant()}");
}

/// <summary>An erasure as the district admin sees it: accepted, and carried out by every service as it hears of it.</summary>
public sealed record PersonErasureResponse(
    string ExternalId,
    int Enrolments,
    DateTimeOffset ErasedAt,
    [property: AllowedValues("accepted")] string Status = "accepted");

public static class PersonErasureApi
{
    public static RouteGroupBuilder MapPersonErasureApi(this RouteGroupBuilder api)
    {
        api.MapDelete("/people/{externalId}", Erase).WithTags("People").WithName("ErasePerson").RequireScope(Scopes.Admin)
            .WithSummary("Erase a person: their name, email, external id and what they wrote, from every service (PersonErased). District admin only.")
            .WithDescription("202: accepted; each service masks its copy as it hears of it, within seconds, and looks again later for what "
                + "was on its way. The anonymous facts reports count (enrolments, matches, sessions, times, sites, roles) stay, so a report "
                + "reads the same before and after. Erasing the same person again answers the same, and erases any enrolment made since "
                + "under that external id. An erased enrolment cannot be enrolled again (409 for the same program and role).");
        return api;
    }

    static async Task<Results<Accepted<PersonErasureResponse>, ValidationProblem, NotFound>> Erase(
        string externalId, IDocumentSession session, IDocumentStore store, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation().RequireText(externalId, "externalId", 100);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var id = PersonErasure.IdFor(externalId);
        var earlier = await session.LoadAsync<PersonErasure>(id, ct);
        // Whatever of the person is still there: an erased enrolment no longer bears the external id, and one enrolled
        // after an erasure (in another program or role) is erased now.
        var enrolments = (await session.Query<Enrolment.Enrolment>()
                .Where(e => e.Profile.ExternalId.Equals(externalId.Trim(), StringComparison.OrdinalIgnoreCase))
                .ToListAsync(ct))
            .Where(e => e.ErasedAt is null)
            .ToList();
        if (enrolments.Count == 0)
        {
            return earlier is null ? TypedResults.NotFound() : Answer(externalId, earlier);
        }

        var now = clock.GetUtcNow();
        var caller = http.User.Caller();
        var erasure = earlier is null
            ? new PersonErasure(id, [.. enrolments.Select(e => e.Id).Order()], Guid.NewGuid(), now, $"{caller.Actor}:{caller.Subject}")
            : earlier with { EnrolmentIds = [.. earlier.EnrolmentIds.Union(enrolments.Select(e => e.Id)).Order()] };
        foreach (var enrolment in enrolments)
        {
            var stream = await session.Events.FetchForWriting<Enrolment.Enrolment>(enrolment.Id, ct);
            stream.AppendMany(Enrolment.EnrolmentDecisions.Erase(stream.Aggregate!, erasure.Pseudonym, now));
        }
        session.Store(erasure);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.ConcurrencyException)
        {
            // Erased by a parallel request a moment ago: answer that erasure.
            await using var fresh = store.QuerySession(session.TenantId);
            if (await fresh.LoadAsync<PersonErasure>(id, ct) is not { } winner)
            {
                throw;
            }
            return Answer(externalId, winner);
        }
        return Answer(externalId, erasure);
    }

    static Accepted<PersonErasureResponse> Answer(string externalId, PersonErasure erasure) =>
        TypedResults.Accepted((string?)null, new PersonErasureResponse(externalId.Trim(), erasure.EnrolmentIds.Count, erasure.ErasedAt));
}

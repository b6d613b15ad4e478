using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Enrolment;

public static class EnrolmentApi
{
    public static RouteGroupBuilder MapEnrolmentApi(this RouteGroupBuilder api)
    {
        var enrolments = api.MapGroup("/programs/{programId:guid}/enrolments").WithTags("Enrolments");
        enrolments.MapPost("/", Enrol).WithName("EnrolParticipant")
            .WithSummary("Enrol one person as mentor or mentee.")
            .WithDescription("201 with the new enrolment; enrolling the same person (externalId and role) again with the same profile answers 200 "
                + "with the enrolment they already have, so a sync can be re-run safely.")
            .WithExample(EnrolRequest.Example);
        enrolments.MapGet("/", List).WithName("ListEnrolments").WithAllowedValues("role", "Role", Roles.All).WithAllowedValues("status", "EnrolmentStatus", [EnrolmentStatus.Active, EnrolmentStatus.Withdrawn])
            .WithSummary("The program's enrolments in the order they enrolled, optionally only mentors or mentees, active or withdrawn.");
        enrolments.MapGet("/{enrolmentId:guid}", Get).WithName("GetEnrolment")
            .WithSummary("One enrolment; the ETag is its version.");
        enrolments.MapPatch("/{enrolmentId:guid}", ChangeProfile).WithName("ChangeEnrolmentProfile")
            .WithSummary("Change an enrolled person's profile (ParticipantProfileChanged); fields left out keep their value.")
            .WithDescription("Send If-Match with the enrolment's ETag to be sure nobody changed it since you read it (412 otherwise). "
                + "Matching uses the new profile from now on; a match already published keeps the facts it was published with.")
            .WithExample(EnrolmentPatch.Example);
        enrolments.MapPut("/{enrolmentId:guid}/reminders", SetReminders).WithName("SetEnrolmentReminders")
            .AllowParticipant(ParticipantActions.StopReminders)
            .WithSummary("Stop or resume the enrolment's reminders (reflections, touchpoints, nudges); match emails and invites still go out.")
            .WithDescription("The participant's own stop-reminders link, or a coordinator on their word. Asking for what already holds changes nothing.")
            .WithExample(new RemindersRequest(true));
        enrolments.MapDelete("/{enrolmentId:guid}", Withdraw).WithName("WithdrawEnrolment")
            .WithSummary("Withdraw an enrolment (ParticipantWithdrawn); the person leaves any match they are in. Withdrawing twice changes nothing.");
        return api;
    }

    static async Task<Results<Created<EnrolmentResponse>, Ok<EnrolmentResponse>, ValidationProblem, NotFound>> Enrol(
        Guid programId, EnrolRequest request, IDocumentSession session, IDocumentStore store, TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var validation = new Validation();
        if (request.ToEvent(programId, clock.GetUtcNow(), validation) is not { } enrolled)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<ProgramState>(programId, ct) is not { } program)
        {
            return TypedResults.NotFound();
        }

        var stream = await session.Events.FetchForWriting<Enrolment>(enrolled.EnrolmentId, ct);
        var (outcome, events) = EnrolmentDecisions.Enrol(program, stream.Aggregate, enrolled);
        if (outcome == EnrolOutcome.Unchanged)
        {
            response.SetETag(stream.StartingVersion ?? 0);
            return TypedResults.Ok(EnrolmentResponse.From(stream.Aggregate!));
        }
        stream.AppendMany(events);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is ExistingStreamIdCollisionException or JasperFx.ConcurrencyException)
        {
            // The same person enrolled by a parallel request a moment ago: answer what that request created, or, when
            // this request's profile differs, change it on top.
            await using var fresh = store.LightweightSession(session.TenantId);
            var again = await fresh.Events.FetchForWriting<Enrolment>(enrolled.EnrolmentId, ct);
            if (again.Aggregate is not { } winner)
            {
                throw;
            }
            again.AppendMany(EnrolmentDecisions.Enrol(program, winner, enrolled).Events);
            await fresh.SaveChangesAsync(ct);
            response.SetETag(again.CurrentVersion ?? again.StartingVersion ?? 1);
            return TypedResults.Ok(EnrolmentResponse.From(await fresh.LoadAsync<Enrolment>(enrolled.EnrolmentId, ct) ?? winner));
        }
        response.SetETag(stream.CurrentVersion ?? 1);
        var now = events.Aggregate(stream.Aggregate, (state, e) => e switch
        {
            ParticipantEnrolled enrol => state?.Apply(enrol) ?? Enrolment.Create(enrol),
            ParticipantProfileChanged change => state!.Apply(change),
            _ => state,
        })!;
        return outcome == EnrolOutcome.Created
            ? TypedResults.Created($"{PublicApi.Root}/programs/{programId}/enrolments/{enrolled.EnrolmentId}", EnrolmentResponse.From(now))
            : TypedResults.Ok(EnrolmentResponse.From(now));
    }

    static async Task<Results<Ok<Page<EnrolmentResponse>>, ValidationProblem, NotFound>> List(
        Guid programId, string? role, string? status, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(role is null || Roles.All.Contains(role), "role", $"'role' must be one of: {string.Join(", ", Roles.All)}.")
            .Require(status is null or EnrolmentStatus.Active or EnrolmentStatus.Withdrawn, "status", "'status' must be one of: active, withdrawn.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        if (await session.LoadAsync<ProgramState>(programId, ct) is null)
        {
            return TypedResults.NotFound();
        }

        var query = session.Query<Enrolment>().Stats(out var stats).Where(e => e.Profile.ProgramId == programId);
        if (role is not null)
        {
            query = query.Where(e => e.Profile.Role == role);
        }
        if (status is not null)
        {
            var active = status == EnrolmentStatus.Active;
            query = query.Where(e => e.Active == active);
        }
        var enrolments = await query.OrderBy(e => e.Profile.EnrolledAt).ThenBy(e => e.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. enrolments.Select(EnrolmentResponse.From)], stats.TotalResults, request));
    }

    static async Task<Results<Ok<EnrolmentResponse>, NotFound>> Get(Guid programId, Guid enrolmentId, IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        if (await session.LoadAsync<Enrolment>(enrolmentId, ct) is not { } enrolment || enrolment.Profile.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        response.SetETag(await Versions.Of(session, enrolmentId, ct));
        return TypedResults.Ok(EnrolmentResponse.From(enrolment));
    }

    static async Task<Results<Ok<EnrolmentResponse>, ValidationProblem, NotFound>> ChangeProfile(
        Guid programId, Guid enrolmentId, EnrolmentPatch patch, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await session.LoadAsync<Enrolment>(enrolmentId, ct) is not { } enrolment || enrolment.Profile.ProgramId != programId
            || await session.LoadAsync<ProgramState>(programId, ct) is not { } program)
        {
            return TypedResults.NotFound();
        }
        var validation = new Validation();
        if (patch.ApplyTo(enrolment.Profile, validation) is null)
        {
            return validation.Problem();
        }
        var now = clock.GetUtcNow();
        var changed = await session.Change<Enrolment>(enrolmentId, http, current =>
            EnrolmentDecisions.ChangeProfile(program, current, patch.ApplyTo(current.Profile, new Validation())
                ?? throw Rejected.Conflict("The enrolment changed meanwhile and this change no longer fits it; read it again."), now), ct);
        return changed is null ? TypedResults.NotFound() : TypedResults.Ok(EnrolmentResponse.From(changed.State));
    }

    static async Task<Results<Ok<EnrolmentResponse>, ValidationProblem, NotFound>> SetReminders(
        Guid programId, Guid enrolmentId, RemindersRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = http.User.Caller();
        caller.ActingFor(enrolmentId);
        if (request.Stopped is not { } stopped)
        {
            return new Validation().Require(false, "stopped", "'stopped' is true to stop the reminders, false to have them again.").Problem();
        }
        if (await session.LoadAsync<Enrolment>(enrolmentId, ct) is not { } enrolment || enrolment.Profile.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        var changed = await session.Change<Enrolment>(enrolmentId, http,
            e => EnrolmentDecisions.SetReminders(e, stopped, $"{caller.Actor}:{caller.Subject ?? caller.EnrolmentId?.ToString()}", clock.GetUtcNow()), ct);
        return changed is null ? TypedResults.NotFound() : TypedResults.Ok(EnrolmentResponse.From(changed.State));
    }

    static async Task<Results<NoContent, NotFound>> Withdraw(
        Guid programId, Guid enrolmentId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await session.LoadAsync<Enrolment>(enrolmentId, ct) is not { } enrolment || enrolment.Profile.ProgramId != programId)
        {
            return TypedResults.NotFound();
        }
        await session.Change<Enrolment>(enrolmentId, http, e => EnrolmentDecisions.Withdraw(e, clock.GetUtcNow()), ct);
        return TypedResults.NoContent();
    }
}

using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Programs.Lifecycle;

namespace Torace.Programs.Templates;

/// <summary>Built-in program templates, the district's conversation guides and the catalog staff pick programs from.</summary>
public static class TemplatesApi
{
    static readonly string[] Statuses = [.. Enum.GetNames<ProgramStatus>().Select(s => s.ToLowerInvariant())];

    public static RouteGroupBuilder MapTemplatesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/program-templates", ListTemplates).WithTags("Programs").WithName("ListProgramTemplates")
            .WithSummary("The built-in program templates with their defaults (one-, two- and three-session micro-mentoring, small-group coaching, "
                + "speed mentoring, informational interviews, PD-plan event, one-off support); the guide link is the district's for each format.");
        var settings = api.MapGroup("/settings").WithTags("Settings");
        settings.MapGet("/guides", GetGuides).WithName("GetGuides")
            .WithSummary("The district's 1-, 2- and 3-session conversation guide links, the default guide of a new program of that format.");
        settings.MapPut("/guides", PutGuides).WithName("SetGuides")
            .WithSummary("Set the district's conversation guide links; a link left out is cleared. Programs created afterwards take them as their default.")
            .WithExample(GuidesRequest.Example);
        api.MapGet("/catalog", Catalog).WithTags("Programs").WithName("ListCatalog")
            .WithAllowedValues("status", "ProgramStatus", Statuses)
            .WithSummary("The district's programs for staff to pick from, newest first: by default those open for enrolment; filter by topic or status.");
        return api;
    }

    static async Task<Results<Ok<Page<ProgramTemplateResponse>>, ValidationProblem>> ListTemplates(
        int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation();
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }
        var guides = await DistrictGuides.Of(session, ct);
        return TypedResults.Ok(page.Of([.. ProgramTemplates.All.Select(t => ProgramTemplateResponse.From(t, guides))], request));
    }

    static async Task<Ok<GuidesResponse>> GetGuides(IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(GuidesResponse.From(await DistrictGuides.Of(session, ct)));

    static async Task<Results<Ok<GuidesResponse>, ValidationProblem>> PutGuides(GuidesRequest request, IDocumentSession session, CancellationToken ct)
    {
        var validation = new Validation();
        if (request.ToGuides(validation) is not { } guides)
        {
            return validation.Problem();
        }
        session.Store(guides);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(GuidesResponse.From(guides));
    }

    static async Task<Results<Ok<Page<CatalogEntry>>, ValidationProblem>> Catalog(
        string? topic, string? status, int? limit, string? cursor, IQuerySession session, HttpRequest request, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(status is null || Statuses.Contains(status), "status", $"'status' must be one of: {string.Join(", ", Statuses)}.")
            .Require(topic is null || topic.Trim().Length is > 0 and <= 100, "topic", "'topic' must be 1 to 100 characters.");
        if (PageRequest.From(limit, cursor, validation) is not { } page)
        {
            return validation.Problem();
        }

        IQueryable<ProgramState> query = session.Query<ProgramState>().Stats(out var stats);
        if (status is null)
        {
            query = query.Where(p => p.EnrolmentOpen);
        }
        else
        {
            var wanted = Enum.Parse<ProgramStatus>(status, ignoreCase: true);
            query = query.Where(p => p.Status == wanted);
        }
        if (topic is not null)
        {
            var wanted = topic.Trim();
            query = query.Where(p => p.Definition.Topic.Equals(wanted, StringComparison.OrdinalIgnoreCase));
        }
        var programs = await query.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id).Skip(page.Offset).Take(page.Limit).ToListAsync(ct);
        return TypedResults.Ok(page.Answer([.. programs.Select(CatalogEntry.From)], stats.TotalResults, request));
    }
}

/// <summary>A program as staff browsing the catalog see it: what it is about, its format and dates, and whether they can join.</summary>
public sealed record CatalogEntry(
    Guid Id,
    string Name,
    string Topic,
    string Kind,
    string Format,
    int GroupSize,
    IReadOnlyList<SessionResponse> Sessions,
    string Status,
    bool EnrolmentOpen)
{
    public static CatalogEntry From(ProgramState p) => new(p.Id, p.Definition.Name, p.Definition.Topic, p.Definition.Kind, p.Definition.Format,
        p.Definition.GroupSize, [.. p.Definition.Sessions.Select(s => new SessionResponse(s.Number, s.Modality, s.StartsAt))],
        p.Status.ToString().ToLowerInvariant(), p.EnrolmentOpen);
}

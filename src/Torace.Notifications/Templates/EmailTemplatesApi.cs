using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Notifications.Branding;
using Torace.Notifications.Email;
using Torace.Platform.Api;

namespace Torace.Notifications.Templates;

/// <summary>An email's wording in Liquid: its subject and HTML, and optionally its plain text (read from the HTML when absent).</summary>
public sealed record EmailTemplateRequest(string? Subject, string? Html, string? Text);

/// <summary>
/// A draft to preview (any part left out is the wording in force) and, in <c>sample</c>, values of the kind's own to show
/// it with instead of the made-up ones (for example the match email's <c>programName</c>, <c>message</c> and <c>guideUrl</c>).
/// </summary>
public sealed record EmailPreviewRequest(string? Subject, string? Html, string? Text, IReadOnlyDictionary<string, JsonElement>? Sample = null);

public sealed record EmailTemplateBody(string Subject, string Html, string? Text);

/// <summary>
/// The wording in force for one kind of email: whose it is (<c>torace</c>, the <c>district</c>'s or the <c>program</c>'s),
/// its sources, Torace's own (to start from or go back to) and the values it can print.
/// </summary>
public sealed record EmailTemplateResponse(
    string Kind, string Description,
    [property: System.ComponentModel.DataAnnotations.AllowedValues(TemplateSources.Torace, TemplateSources.District, TemplateSources.Program)] string Source,
    EmailTemplateBody Template, EmailTemplateBody Default, IReadOnlyList<TemplateVariableResponse> Variables, DateTimeOffset? UpdatedAt);

public sealed record TemplateVariableResponse(string Name, string Description);

/// <summary>An email as it would go out: its subject, its HTML in the district's frame, and its plain text.</summary>
public sealed record EmailPreviewResponse(string Kind, string Subject, string Html, string Text);

public static class TemplateSources
{
    public const string Torace = "torace";
    public const string District = "district";
    public const string Program = "program";
}

/// <summary>
/// A district words its emails its own way (DESIGN §13): for the whole district under /settings/email-templates, for one
/// program under /programs/{programId}/email-templates (the program's wins). A template is checked when it is saved: it
/// must be valid Liquid, print nothing raw and render the kind's sample; a preview renders any draft with sample data.
/// </summary>
public static class EmailTemplatesApi
{
    const int MaxSubject = 2_000;

    public static RouteGroupBuilder MapEmailTemplatesApi(this RouteGroupBuilder api)
    {
        var district = api.MapGroup("/settings/email-templates").WithTags("Settings");
        district.MapGet("/", (IQuerySession session, CancellationToken ct) => List(null, session, ct))
            .WithName("ListEmailTemplates")
            .WithSummary("Every kind of email Torace sends, each with the district's wording in force (its own or Torace's) and the values a template can print.");
        var kind = district.MapGroup("/{kind}");
        Document(kind.MapGet("/", (string kind, IQuerySession session, CancellationToken ct) => Get(null, kind, session, ct)), "Get", "");
        Document(kind.MapPut("/", (string kind, EmailTemplateRequest request, IDocumentSession session, TemplateSets sets, TimeProvider clock, CancellationToken ct) =>
            Set(null, kind, request, session, sets, clock, ct)), "Set", "");
        Document(kind.MapDelete("/", (string kind, IDocumentSession session, TemplateSets sets, CancellationToken ct) => Reset(null, kind, session, sets, ct)), "Reset", "");
        Document(kind.MapPost("/preview", (string kind, EmailPreviewRequest? request, IQuerySession session, DistrictBrands brands, CancellationToken ct) =>
            Preview(null, kind, request, session, brands, ct)), "Preview", "");

        var program = api.MapGroup("/programs/{programId:guid}/email-templates").WithTags("Settings");
        program.MapGet("/", (Guid programId, IQuerySession session, CancellationToken ct) => List(programId, session, ct))
            .WithName("ListProgramEmailTemplates")
            .WithSummary("Every kind of email with the wording in force for the program: its own, else the district's, else Torace's.");
        var ofProgram = program.MapGroup("/{kind}");
        Document(ofProgram.MapGet("/", (Guid programId, string kind, IQuerySession session, CancellationToken ct) => Get(programId, kind, session, ct)), "Get", "Program");
        Document(ofProgram.MapPut("/", (Guid programId, string kind, EmailTemplateRequest request, IDocumentSession session, TemplateSets sets, TimeProvider clock, CancellationToken ct) =>
            Set(programId, kind, request, session, sets, clock, ct)), "Set", "Program");
        Document(ofProgram.MapDelete("/", (Guid programId, string kind, IDocumentSession session, TemplateSets sets, CancellationToken ct) =>
            Reset(programId, kind, session, sets, ct)), "Reset", "Program");
        Document(ofProgram.MapPost("/preview", (Guid programId, string kind, EmailPreviewRequest? request, IQuerySession session, DistrictBrands brands, CancellationToken ct) =>
            Preview(programId, kind, request, session, brands, ct)), "Preview", "Program");
        return api;
    }

    /// <summary>The name, summary and example of one operation on one kind, for the district or (<paramref name="scope"/> "Program") for a program.</summary>
    static void Document(RouteHandlerBuilder operation, string verb, string scope)
    {
        var whose = scope.Length > 0 ? "the program (it wins over the district's)" : "the whole district";
        operation.WithName($"{verb}{scope}EmailTemplate").WithAllowedValues("kind", "EmailKind", EmailKinds.All.Select(k => k.Name));
        _ = verb switch
        {
            "Get" => operation.WithSummary($"The wording in force of one kind of email for {whose}."),
            "Set" => operation
                .WithSummary($"Word one kind of email for {whose} in Liquid: the subject and HTML, and optionally the plain text. Every printed value is escaped; 400 names the part that is not valid Liquid, uses raw or does not render.")
                .WithExample(new EmailTemplateRequest("{{ programName }}: meet your mentor",
                    "<p>Dear {{ recipient.name }},</p><p>Your mentor is {{ mentor.name }} from {{ mentor.site }}.</p><p>{{ message }}</p>", null)),
            "Reset" => operation.WithSummary(scope.Length > 0
                ? "Drop the program's own wording: the district's (or Torace's) applies again."
                : "Drop the district's own wording: Torace's applies again."),
            _ => operation
                .WithSummary("Render one kind of email with sample data, as it would go out (in the district's frame): the draft's parts where the body gives them, the wording in force for the rest. Writes nothing.")
                .WithExample(new EmailPreviewRequest(null, "<p>Hello {{ recipient.name }}, meet {{ mentor.name }}.</p><p>{{ message }}</p>", null,
                    new Dictionary<string, JsonElement> { ["message"] = JsonSerializer.SerializeToElement("Bring one lesson you want to improve.") })),
        };
    }

    static async Task<Ok<IReadOnlyList<EmailTemplateResponse>>> List(Guid? programId, IQuerySession session, CancellationToken ct)
    {
        var own = await Own(session, programId, ct);
        return TypedResults.Ok<IReadOnlyList<EmailTemplateResponse>>([.. EmailKinds.All.Select(k => Response(k, InForce(own, k.Name, programId)))]);
    }

    static async Task<Results<Ok<EmailTemplateResponse>, ProblemHttpResult>> Get(Guid? programId, string kind, IQuerySession session, CancellationToken ct) =>
        EmailKinds.Find(kind) is not { } found
            ? Unknown(kind)
            : TypedResults.Ok(Response(found, InForce(await Own(session, programId, ct), kind, programId)));

    static async Task<Results<Ok<EmailTemplateResponse>, ProblemHttpResult, ValidationProblem>> Set(
        Guid? programId, string kind, EmailTemplateRequest request, IDocumentSession session, TemplateSets sets, TimeProvider clock, CancellationToken ct)
    {
        if (EmailKinds.Find(kind) is not { } found)
        {
            return Unknown(kind);
        }
        var validation = new Validation()
            .RequireText(request.Subject, "subject", MaxSubject)
            .RequireText(request.Html, "html", Liquid.MaxSource)
            .AtMost(request.Text, "text", Liquid.MaxSource);
        if (!validation.IsValid || Check(found, request.Subject, request.Html, request.Text, validation) is null)
        {
            return validation.Problem();
        }
        var stored = new TemplateOverride(TemplateOverride.KeyOf(programId, kind), programId, kind, request.Subject!, request.Html!,
            string.IsNullOrWhiteSpace(request.Text) ? null : request.Text, clock.GetUtcNow());
        session.Store(stored);
        await session.SaveChangesAsync(ct);
        sets.Forget(session.TenantId!);
        return TypedResults.Ok(Response(found, stored));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Reset(Guid? programId, string kind, IDocumentSession session, TemplateSets sets, CancellationToken ct)
    {
        if (EmailKinds.Find(kind) is null)
        {
            return Unknown(kind);
        }
        session.Delete<TemplateOverride>(TemplateOverride.KeyOf(programId, kind));
        await session.SaveChangesAsync(ct);
        sets.Forget(session.TenantId!);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<EmailPreviewResponse>, ProblemHttpResult, ValidationProblem>> Preview(
        Guid? programId, string kind, EmailPreviewRequest? request, IQuerySession session, DistrictBrands brands, CancellationToken ct)
    {
        if (EmailKinds.Find(kind) is not { } found)
        {
            return Unknown(kind);
        }
        var inForce = InForce(await Own(session, programId, ct), kind, programId);
        var current = inForce?.Template ?? found.Default;
        var validation = new Validation()
            .AtMost(request?.Subject, "subject", MaxSubject)
            .AtMost(request?.Html, "html", Liquid.MaxSource)
            .AtMost(request?.Text, "text", Liquid.MaxSource);
        var details = WithValues(found, request?.Sample, validation);
        if (!validation.IsValid
            || Check(found, request?.Subject ?? current.Subject, request?.Html ?? current.Html, request?.Text ?? current.Text, validation, details) is not { } template)
        {
            return validation.Problem();
        }
        var brand = await brands.Of(session.TenantId!, ct);
        var (subject, html, text) = TemplateSet.Render(template, Sample(found, brand, details));
        return TypedResults.Ok(new EmailPreviewResponse(kind, subject, EmailLayout.Wrap(html, brand), text ?? PlainText.Of(html)));
    }

    /// <summary>
    /// The parsed template if every part is valid Liquid, prints nothing unescaped and renders with <paramref name="details"/>
    /// (the kind's sample when none); otherwise null, with each failing part named in <paramref name="validation"/>.
    /// </summary>
    static ParsedTemplate? Check(EmailKind kind, string? subject, string? html, string? text, Validation validation, object? details = null)
    {
        var model = Sample(kind, DistrictBrand.Default, details);
        IFluidTemplate? Part(string field, string? source, Func<IFluidTemplate, EmailModel, string> render)
        {
            if (source is null)
            {
                return null;
            }
            if (Liquid.PrintsRaw(source))
            {
                validation.Add(field, $"'{field}' may not use the raw filter, capture or macro: every value a template prints is escaped.");
                return null;
            }
            if (!Liquid.TryParse(source, out var parsed, out var error))
            {
                validation.Add(field, $"'{field}' is not valid Liquid: {error}");
                return null;
            }
            try
            {
                render(parsed, model);
                return parsed;
            }
            catch (Exception e)
            {
                // Fluid says "cyclic include" when a template runs past its step limit: say what it means.
                var why = e is InvalidOperationException && e.Message.Contains("include", StringComparison.OrdinalIgnoreCase)
                    ? "it does too much work (a loop that runs too long?)"
                    : e.Message;
                validation.Add(field, $"'{field}' could not be rendered with {(details is null ? "the sample data" : "these sample values")}: {why}");
                return null;
            }
        }
        var s = Part("subject", subject, Liquid.RenderText);
        var h = Part("html", html, Liquid.RenderHtml);
        var t = Part("text", string.IsNullOrWhiteSpace(text) ? null : text, Liquid.RenderText);
        if (s is not null)
        {
            validation.Require(Liquid.RenderText(s, model).Trim().Length > 0, "subject", "'subject' renders empty with the sample data: an email needs a subject.");
        }
        return validation.IsValid && s is not null && h is not null ? new ParsedTemplate(s, h, t) : null;
    }

    static EmailModel Sample(EmailKind kind, DistrictBrand brand, object? details = null) =>
        new(EmailKinds.SampleRecipient, DistrictModel.Of(brand), details ?? kind.Sample);

    /// <summary>The kind's sample details with the caller's values in place of the made-up ones; each unknown or ill-typed value is a field error.</summary>
    static object? WithValues(EmailKind kind, IReadOnlyDictionary<string, JsonElement>? values, Validation validation)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }
        var type = kind.Sample.GetType();
        var sample = JsonSerializer.SerializeToNode(kind.Sample, type, JsonSerializerOptions.Web)!.AsObject();
        foreach (var (name, value) in values)
        {
            if (!sample.ContainsKey(name))
            {
                validation.Add($"sample.{name}", $"The {kind.Name} email has no value '{name}'; it has: {string.Join(", ", sample.Select(p => p.Key))}.");
                continue;
            }
            sample[name] = JsonNode.Parse(value.GetRawText());
        }
        try
        {
            return validation.IsValid ? sample.Deserialize(type, JsonSerializerOptions.Web) : null;
        }
        catch (JsonException e)
        {
            validation.Add($"sample.{e.Path?.TrimStart('$', '.') ?? ""}".TrimEnd('.'), $"A sample value is not of the kind the email prints: {e.Message}");
            return null;
        }
    }

    /// <summary>The district's own templates and, for a program, the program's.</summary>
    static async Task<IReadOnlyList<TemplateOverride>> Own(IQuerySession session, Guid? programId, CancellationToken ct) =>
        await session.Query<TemplateOverride>().Where(o => o.ProgramId == null || o.ProgramId == programId).ToListAsync(ct);

    static TemplateOverride? InForce(IReadOnlyList<TemplateOverride> own, string kind, Guid? programId) =>
        own.FirstOrDefault(o => o.Kind == kind && programId is not null && o.ProgramId == programId) ?? own.FirstOrDefault(o => o.Kind == kind && o.ProgramId is null);

    static EmailTemplateResponse Response(EmailKind kind, TemplateOverride? own) => new(kind.Name, kind.Description,
        own is null ? TemplateSources.Torace : own.ProgramId is null ? TemplateSources.District : TemplateSources.Program,
        Body(own?.Template ?? kind.Default), Body(kind.Default),
        [.. EmailKinds.VariablesOf(kind).Select(v => new TemplateVariableResponse(v.Name, v.Description))], own?.UpdatedAt);

    static EmailTemplateBody Body(EmailTemplate t) => new(t.Subject, t.Html, t.Text);

    static ProblemHttpResult Unknown(string kind) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: $"No kind of email is called '{kind}'.", detail: $"The kinds are: {string.Join(", ", EmailKinds.All.Select(k => k.Name))}.");
}

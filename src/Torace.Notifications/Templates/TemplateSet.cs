using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.Logging;
using Torace.Notifications.Branding;
using Torace.Notifications.Email;
using Torace.Notifications.Invites;

namespace Torace.Notifications.Templates;

/// <summary>
/// A district's own wording of one kind of email, for the whole district (<see cref="ProgramId"/> null) or for one
/// program, which then wins over the district's. One document per (program or district, kind).
/// </summary>
public sealed record TemplateOverride(string Id, Guid? ProgramId, string Kind, string Subject, string Html, string? Text, DateTimeOffset UpdatedAt)
{
    public static string KeyOf(Guid? programId, string kind) => programId is { } id ? $"{id:N}/{kind}" : kind;

    public EmailTemplate Template => new(Subject, Html, Text);
}

/// <summary>
/// The templates and brand in force for one program of one district: the program's own wording of a kind, else the
/// district's, else Torace's. <see cref="Write"/> turns a kind's details into the email one person gets.
/// </summary>
public sealed partial class TemplateSet(DistrictBrand brand, IReadOnlyDictionary<string, ParsedTemplate> own, ILogger? log = null)
{
    /// <summary>Torace's wording and colours: what a district that changed nothing gets.</summary>
    public static readonly TemplateSet Default = new(DistrictBrand.Default, new Dictionary<string, ParsedTemplate>());

    public DistrictBrand Brand => brand;

    public DistrictModel District => DistrictModel.Of(brand);

    /// <summary>
    /// The email <paramref name="details"/> make in the district's wording of <paramref name="kind"/>; in Torace's when
    /// the district's fails on these details (a template checked against the sample can still divide by an empty
    /// group): the email goes out, and the log says why it was not in the district's words.
    /// </summary>
    public EmailMessage Write(string kind, string to, string toName, Guid? recipientId, object details, string? deliveryKind = null, CalendarInvite? invite = null)
    {
        var model = new EmailModel(new RecipientModel(toName, to), District, details);
        (string Subject, string Html, string? Text) rendered;
        try
        {
            rendered = Render(own.GetValueOrDefault(kind) ?? EmailKinds.Of(kind).Parsed, model);
        }
        catch (Exception e) when (own.ContainsKey(kind))
        {
            log?.LogWarning(e, "The district's {Kind} template failed on this email; it goes out in Torace's wording", kind);
            rendered = Render(EmailKinds.Of(kind).Parsed, model);
        }
        return new EmailMessage(to, toName, recipientId, deliveryKind ?? kind, rendered.Subject, rendered.Html, invite, brand, rendered.Text);
    }

    /// <summary>The subject (on one line), the HTML and the plain text a template gives for a model (no text when the template has none).</summary>
    public static (string Subject, string Html, string? Text) Render(ParsedTemplate template, EmailModel model) =>
        (Spaces().Replace(Liquid.RenderText(template.Subject, model), " ").Trim(),
         Liquid.RenderHtml(template.Html, model),
         template.Text is null ? null : Liquid.RenderText(template.Text, model));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>
/// Each district's templates, read at most every 30 s per district (like its brand): sending thousands of emails does
/// not read them thousands of times. A change made through this instance shows at once.
/// </summary>
public sealed class TemplateSets(IDocumentStore store, DistrictBrands brands, TimeProvider clock, ILogger<TemplateSets> log)
{
    static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);
    readonly ConcurrentDictionary<string, (IReadOnlyList<(TemplateOverride Override, ParsedTemplate Parsed)> Own, DateTimeOffset ReadAt)> known = new();

    /// <summary>Bumped by each change: a read that began before a change is not kept as current after it.</summary>
    readonly ConcurrentDictionary<string, long> changes = new();

    /// <summary>What emails about <paramref name="programId"/> (none: the district's own) are written with.</summary>
    public async Task<TemplateSet> For(string tenantId, Guid? programId, CancellationToken ct)
    {
        var brand = await brands.Of(tenantId, ct);
        var own = await Own(tenantId, ct);
        var chosen = new Dictionary<string, ParsedTemplate>();
        foreach (var (o, parsed) in own.Where(o => o.Override.ProgramId is null).Concat(own.Where(o => programId is not null && o.Override.ProgramId == programId)))
        {
            chosen[o.Kind] = parsed; // a program's own comes last and wins
        }
        return new TemplateSet(brand, chosen, log);
    }

    /// <summary>The district's own templates: those of the district and of each of its programs.</summary>
    async Task<IReadOnlyList<(TemplateOverride Override, ParsedTemplate Parsed)>> Own(string tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (known.TryGetValue(tenantId, out var cached) && now - cached.ReadAt < Fresh)
        {
            return cached.Own;
        }
        var version = changes.GetValueOrDefault(tenantId);
        await using var session = store.QuerySession(tenantId);
        var stored = await session.Query<TemplateOverride>().ToListAsync(ct);
        var own = new List<(TemplateOverride, ParsedTemplate)>();
        foreach (var o in stored.Where(o => EmailKinds.Find(o.Kind) is not null)) // only kinds Torace still sends
        {
            try
            {
                own.Add((o, o.Template.Parse()));
            }
            catch (ArgumentException e)
            {
                // Valid when saved, not to this engine: that kind goes out in Torace's words, the others in the district's.
                log.LogError(e, "The stored {Kind} template of {Tenant} no longer parses; Torace's wording is used", o.Kind, tenantId);
            }
        }
        if (changes.GetValueOrDefault(tenantId) == version)
        {
            known[tenantId] = (own, now);
        }
        return own;
    }

    /// <summary>A change made through this instance shows at once here (other instances see it within 30 s).</summary>
    public void Forget(string tenantId)
    {
        changes.AddOrUpdate(tenantId, 1, (_, v) => v + 1);
        known.TryRemove(tenantId, out _);
    }
}

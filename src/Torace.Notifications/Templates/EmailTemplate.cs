using Fluid;

namespace Torace.Notifications.Templates;

/// <summary>An email's Liquid sources: its subject, its HTML and, when a district writes one, its plain text (otherwise read from the HTML).</summary>
public sealed record EmailTemplate(string Subject, string Html, string? Text = null)
{
    public ParsedTemplate Parse() => new(Liquid.Parse(Subject), Liquid.Parse(Html), Text is null ? null : Liquid.Parse(Text));
}

public sealed record ParsedTemplate(IFluidTemplate Subject, IFluidTemplate Html, IFluidTemplate? Text);

/// <summary>A value a kind of email can print: its name in a template and what it holds.</summary>
public sealed record TemplateVariable(string Name, string Description);

/// <summary>
/// A kind of email a district can word its own way: what it is for, what its template can print, Torace's own wording,
/// and the made-up details a preview shows it with.
/// </summary>
public sealed record EmailKind(string Name, string Description, IReadOnlyList<TemplateVariable> Variables, EmailTemplate Default, object Sample)
{
    public ParsedTemplate Parsed { get; } = Default.Parse();
}

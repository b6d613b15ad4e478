using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;

namespace Torace.Notifications.Templates;

/// <summary>
/// The Liquid engine emails are written with (Fluid). Every value a template prints is HTML-escaped in the HTML part, so
/// a coordinator's message, a participant's name or a note shows as written and never runs; <c>raw</c>, the one way
/// around that, is refused in a district's template. A template reads only the model it is given (no files, no
/// includes) and is bounded in steps and output, so a district's template cannot stall or flood the sender. Nothing a
/// caller sends is kept: a district's templates are parsed when <see cref="TemplateSets"/> loads them.
/// </summary>
public static partial class Liquid
{
    /// <summary>A template's source may be this long (each of subject, HTML and text).</summary>
    public const int MaxSource = 50_000;

    static readonly FluidParser Parser = new();

    static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithModelNamesComparer(StringComparers.CamelCase)
        .WithMaxRecursion(10)
        .WithMaxSteps(20_000)
        .WithMaxOutputSize(500_000)
        .WithMaxCollectionSize(1_000)
        .Build();

    /// <summary>Escapes what HTML needs and keeps every other character readable (José stays José).</summary>
    static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The template of <paramref name="source"/>, or the reason it is not valid Liquid.</summary>
    public static bool TryParse(string source, out IFluidTemplate template, out string error) => Parser.TryParse(source, out template, out error);

    public static IFluidTemplate Parse(string source) =>
        TryParse(source, out var template, out var error) ? template : throw new ArgumentException($"Not a valid Liquid template: {error}", nameof(source));

    /// <summary>
    /// Whether <paramref name="source"/> could print something unescaped, which a district's template may not: the <c>raw</c>
    /// filter, or a <c>capture</c> or <c>macro</c> (their output is printed as it is, and a value appended to it with it).
    /// </summary>
    public static bool PrintsRaw(string source) =>
        RawFilter().IsMatch(source) || Tag().Matches(source).Any(tag => Unescaping().IsMatch(tag.Groups["body"].Value));

    /// <summary>Renders for the HTML part: every printed value escaped.</summary>
    public static string RenderHtml(IFluidTemplate template, EmailModel model) => template.Render(Context(model), Html);

    /// <summary>Renders for a subject or the plain-text part: printed as it is (MIME encodes it).</summary>
    public static string RenderText(IFluidTemplate template, EmailModel model) => template.Render(Context(model));

    static TemplateContext Context(EmailModel model)
    {
        var context = new TemplateContext(model.Details, Options);
        context.SetValue("recipient", model.Recipient);
        context.SetValue("district", model.District);
        return context;
    }

    [GeneratedRegex(@"\|\s*raw\b")]
    private static partial Regex RawFilter();

    [GeneratedRegex(@"\{%(?<body>.*?)%\}", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\b(capture|macro)\b")]
    private static partial Regex Unescaping();
}

/// <summary>What a template reads: who the email is to, the district it comes from, and the details of its kind at the top level.</summary>
public sealed record EmailModel(RecipientModel Recipient, DistrictModel District, object Details);

public sealed record RecipientModel(string Name, string Email);

/// <summary>The district as its emails show it: name, colour (#rrggbb, for buttons) and logo.</summary>
public sealed record DistrictModel(string Name, string Colour, string? LogoUrl)
{
    /// <summary>The district as its brand shows it: Torace's name until it sets its own.</summary>
    public static DistrictModel Of(Branding.DistrictBrand brand) => new(brand.DisplayName ?? "Torace", brand.Colour, brand.LogoUrl);
}

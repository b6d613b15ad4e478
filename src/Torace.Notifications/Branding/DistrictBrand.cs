using System.Globalization;
using System.Net;
using Marten;

namespace Torace.Notifications.Branding;

/// <summary>
/// How a district's emails and participant pages look and answer: its name, its colour (dark enough for white text on
/// it, WCAG AA), its logo and the address replies go to. One document per district; Torace's own until one is set.
/// </summary>
public sealed record DistrictBrand(string Id, string? DisplayName, string Colour, string? LogoUrl, string? ReplyTo)
{
    public const string DocumentId = "branding";

    public static readonly DistrictBrand Default = new(DocumentId, null, "#1d4ed8", null, null);

    /// <summary>The contrast WCAG 2.2 AA asks of normal text: white on the colour, and the colour on white.</summary>
    public const double MinimumContrast = 4.5;

    /// <summary>The contrast ratio between white and <paramref name="hex"/> (#rrggbb), from 1 to 21.</summary>
    public static double ContrastWithWhite(string hex)
    {
        static double Channel(int value)
        {
            var c = value / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        var rgb = int.Parse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var luminance = 0.2126 * Channel(rgb >> 16 & 0xFF) + 0.7152 * Channel(rgb >> 8 & 0xFF) + 0.0722 * Channel(rgb & 0xFF);
        return 1.05 / (luminance + 0.05);
    }
}

/// <summary>
/// The frame every email is sent in: the district's name (and logo) on its colour above the message, and its colour on
/// the message's buttons. The composers write the message; this is added when the email is handed to the mail server.
/// </summary>
public static class EmailLayout
{
    /// <summary>
    /// The colour buttons were drawn in before templates printed the district's own (<c>district.colour</c>), replaced by
    /// the district's: an email composed then and resent now still shows its district's colour.
    /// </summary>
    public const string ButtonColour = "#1d4ed8";

    public static string Wrap(string message, DistrictBrand brand)
    {
        var name = WebUtility.HtmlEncode(brand.DisplayName ?? "Torace");
        var logo = brand.LogoUrl is { } url
            ? $"<img src=\"{WebUtility.HtmlEncode(url)}\" alt=\"\" height=\"32\" style=\"vertical-align:middle;margin-right:10px;max-height:32px\">"
            : "";
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"></head>"
            + "<body style=\"margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1f2937\">"
            + $"<div style=\"background:{brand.Colour};color:#ffffff;padding:12px 16px;font-weight:600\">{logo}{name}</div>"
            + $"<div style=\"padding:8px 16px;max-width:600px\">{message.Replace(ButtonColour, brand.Colour, StringComparison.Ordinal)}</div>"
            + "</body></html>";
    }
}

/// <summary>Each district's brand, read at most every 30 s per district: sending thousands of emails does not read it thousands of times.</summary>
public sealed class DistrictBrands(IDocumentStore store, TimeProvider clock)
{
    static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DistrictBrand Brand, DateTimeOffset ReadAt)> known = new();

    public async Task<DistrictBrand> Of(string tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (known.TryGetValue(tenantId, out var cached) && now - cached.ReadAt < Fresh)
        {
            return cached.Brand;
        }
        await using var session = store.QuerySession(tenantId);
        var brand = await session.LoadAsync<DistrictBrand>(DistrictBrand.DocumentId, ct) ?? DistrictBrand.Default;
        known[tenantId] = (brand, now);
        return brand;
    }

    /// <summary>A change made here shows at once on this instance (others see it within 30 s).</summary>
    public void Forget(string tenantId) => known.TryRemove(tenantId, out _);
}

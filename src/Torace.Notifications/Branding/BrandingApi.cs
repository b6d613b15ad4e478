using System.Net.Mail;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Torace.Platform.Api;
using Torace.Platform.Tenancy;

namespace Torace.Notifications.Branding;

/// <summary>The district's name as emails show it, its colour (#rrggbb, white text on it must reach 4.5:1), an https logo and a reply-to address.</summary>
public sealed record BrandingRequest(string? DisplayName, string? Colour, string? LogoUrl, string? ReplyTo);

public sealed record BrandingResponse(string? DisplayName, string Colour, string? LogoUrl, string? ReplyTo)
{
    public static BrandingResponse From(DistrictBrand b) => new(b.DisplayName, b.Colour, b.LogoUrl, b.ReplyTo);
}

public static partial class BrandingApi
{
    public static RouteGroupBuilder MapBrandingApi(this RouteGroupBuilder api)
    {
        var branding = api.MapGroup("/settings/branding").WithTags("Settings");
        branding.MapGet("/", Get).WithName("GetBranding")
            .WithSummary("How the district's emails and participant pages look: its name, colour and logo, and where replies go.")
            .WithDescription("A participant's link reads it too: the participant pages show the district's name and colour.")
            .AllowParticipant(ParticipantActions.All);
        branding.MapPut("/", Set).WithName("SetBranding")
            .WithSummary("Set the district's name, colour (#rrggbb; white text on it must reach WCAG AA's 4.5:1), https logo and reply-to address for its emails and participant pages.")
            .WithExample(new BrandingRequest("Lincoln County Schools", "#0f5132", "https://district.example.org/logo.png", "mentoring@district.example.org"));
        return api;
    }

    static async Task<Ok<BrandingResponse>> Get(IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(BrandingResponse.From(await session.LoadAsync<DistrictBrand>(DistrictBrand.DocumentId, ct) ?? DistrictBrand.Default));

    static async Task<Results<Ok<BrandingResponse>, ValidationProblem>> Set(
        BrandingRequest request, IDocumentSession session, DistrictBrands brands, CancellationToken ct)
    {
        var colour = request.Colour?.Trim().ToLowerInvariant();
        var validation = new Validation()
            .Require(request.DisplayName is null || request.DisplayName.Trim().Length is > 0 and <= 100, "displayName", "'displayName' must be 1 to 100 characters.")
            .Require(colour is not null && HexColour().IsMatch(colour), "colour", "'colour' must be a colour as #rrggbb, for example #0f5132.");
        if (colour is not null && HexColour().IsMatch(colour))
        {
            var contrast = DistrictBrand.ContrastWithWhite(colour);
            validation.Require(contrast >= DistrictBrand.MinimumContrast, "colour",
                $"White text on {colour} has a contrast of {contrast:0.0}:1; WCAG AA needs {DistrictBrand.MinimumContrast}:1. Choose a darker colour.");
        }
        validation
            .Require(request.LogoUrl is null || (request.LogoUrl.Length <= 2000 && Uri.TryCreate(request.LogoUrl, UriKind.Absolute, out var logo) && logo.Scheme == Uri.UriSchemeHttps),
                "logoUrl", "'logoUrl' must be an https address of at most 2000 characters.")
            .Require(request.ReplyTo is null || (request.ReplyTo.Length <= 254 && MailAddress.TryCreate(request.ReplyTo, out var reply) && reply.Address == request.ReplyTo.Trim()),
                "replyTo", "'replyTo' must be an email address.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var brand = new DistrictBrand(DistrictBrand.DocumentId, request.DisplayName?.Trim(), colour!, request.LogoUrl, request.ReplyTo?.Trim());
        session.Store(brand);
        await session.SaveChangesAsync(ct);
        brands.Forget(session.TenantId!);
        return TypedResults.Ok(BrandingResponse.From(brand));
    }

    [GeneratedRegex("^#[0-9a-f]{6}$")]
    private static partial Regex HexColour();
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Torace.Admin.Accounts;

/// <summary>What a district admin types to set up their district's identity provider.</summary>
public sealed record SignOnForm(string DisplayName, string Authority, string ClientId, string? ClientSecret, bool RequireSingleSignOn);

/// <summary>
/// Saves and removes a district's identity provider. A provider is saved only when its discovery document answers and
/// names the same issuer, so a typo shows here, not as a failed sign-in.
/// </summary>
public sealed class SignOnSettings(IServiceScopeFactory scopes, DistrictSignOns signOns, IHttpClientFactory http, IWebHostEnvironment environment, TimeProvider clock)
{
    public const int MaxDisplayName = 60;

    /// <summary>The form's own mistakes, by field; empty when it can be tried against the provider.</summary>
    public static Dictionary<string, string> Check(SignOnForm form, bool allowHttp)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(form.DisplayName) || form.DisplayName.Trim().Length > MaxDisplayName)
        {
            errors["displayName"] = $"Name the account as your staff know it (up to {MaxDisplayName} characters), for example \"Springfield Schools account\".";
        }
        if (!Uri.TryCreate(form.Authority.Trim(), UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (allowHttp && authority.Scheme == Uri.UriSchemeHttp))
            || !string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment))
        {
            errors["authority"] = allowHttp
                ? "The issuer URL is the provider's address, for example https://login.example.org/realms/staff."
                : "The issuer URL is the provider's https address, for example https://login.example.org/realms/staff.";
        }
        if (string.IsNullOrWhiteSpace(form.ClientId))
        {
            errors["clientId"] = "Give the client ID your identity provider issued for Torace.";
        }
        return errors;
    }

    /// <summary>Saves the provider when the form is right and the provider answers; otherwise the problems by field.</summary>
    public async Task<(DistrictSignOn? Saved, Dictionary<string, string> Errors)> Save(string district, SignOnForm form, string by, bool signedInThroughIt, CancellationToken ct)
    {
        var errors = Check(form, environment.IsDevelopment());
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var authority = form.Authority.Trim().TrimEnd('/');
        if (await Discover(authority, ct) is { } unreachable)
        {
            return (null, new() { ["authority"] = unreachable });
        }
        // Requiring the provider locks everyone out if it does not work: only someone who just signed in through it may.
        if (form.RequireSingleSignOn && !signedInThroughIt)
        {
            return (null, new() { ["requireSingleSignOn"] = "Sign in with the district account yourself first; then you can require it for everyone." });
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdminDb>();
        var signOn = await db.SignOns.FindAsync([district], ct);
        var changedProvider = signOn is not null && (signOn.Authority != authority || signOn.ClientId != form.ClientId.Trim());
        if (signOn is null)
        {
            signOn = new DistrictSignOn { District = district };
            db.SignOns.Add(signOn);
        }
        signOn.DisplayName = form.DisplayName.Trim();
        signOn.Authority = authority;
        signOn.ClientId = form.ClientId.Trim();
        // An empty secret keeps the one saved before (it is never shown again); a new provider without one is a public client.
        if (!string.IsNullOrWhiteSpace(form.ClientSecret))
        {
            signOn.ClientSecret = form.ClientSecret.Trim();
        }
        signOn.RequireSingleSignOn = form.RequireSingleSignOn && !changedProvider;
        signOn.UpdatedAt = clock.GetUtcNow();
        signOn.UpdatedBy = by;
        if (changedProvider)
        {
            // Another provider's subjects are not this one's: accounts link again, by their email, on their next sign-in.
            await ForgetLinks(db, district, ct);
        }
        await db.SaveChangesAsync(ct);
        await signOns.Current(ct);
        return (signOn, errors);
    }

    /// <summary>Removes the district's provider and every account's link to it; passwords work again for everyone.</summary>
    public async Task Remove(string district, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdminDb>();
        await ForgetLinks(db, district, ct);
        await db.SignOns.Where(s => s.District == district).ExecuteDeleteAsync(ct);
        await signOns.Current(ct);
    }

    static Task ForgetLinks(AdminDb db, string district, CancellationToken ct) =>
        db.UserLogins.Where(l => l.LoginProvider == DistrictSignOn.SchemeOf(district)).ExecuteDeleteAsync(ct);

    /// <summary>Null when the provider's discovery document answers for this issuer; otherwise what is wrong, in words.</summary>
    async Task<string?> Discover(string authority, CancellationToken ct)
    {
        var address = authority + "/.well-known/openid-configuration";
        try
        {
            using var response = await http.CreateClient(DistrictSignOnEndpoints.DiscoveryClient).GetAsync(address, ct);
            if (!response.IsSuccessStatusCode)
            {
                return $"{address} answered {(int)response.StatusCode}: check the issuer URL.";
            }
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            var root = document.RootElement;
            string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (Text("issuer")?.TrimEnd('/') != authority)
            {
                return $"The provider calls itself \"{Text("issuer")}\", not {authority}: use that as the issuer URL.";
            }
            if (Text("authorization_endpoint") is null || Text("token_endpoint") is null || Text("jwks_uri") is null)
            {
                return "The provider's discovery document has no authorization, token or key endpoint: it is not an OpenID Connect provider.";
            }
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"{address} could not be read ({e.GetType().Name}): check the issuer URL and that Torace can reach it.";
        }
    }
}

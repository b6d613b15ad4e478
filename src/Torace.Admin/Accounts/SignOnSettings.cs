using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Torace.Platform.Tenancy;

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

    /// <summary>
    /// Saves the provider when the form is right and the provider answers; otherwise the problems by field.
    /// <paramref name="admin"/> is the district admin saving it.
    /// </summary>
    public async Task<(DistrictSignOn? Saved, Dictionary<string, string> Errors)> Save(string district, SignOnForm form, ClaimsPrincipal admin, CancellationToken ct)
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

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdminDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();
        var by = await users.GetUserAsync(admin) ?? throw new InvalidOperationException("The district admin's account is gone.");
        var signOn = await db.SignOns.FindAsync([district], ct);
        var newSecret = string.IsNullOrWhiteSpace(form.ClientSecret) ? null : form.ClientSecret.Trim();
        // Another issuer, client or secret is another provider until someone has signed in with it: the saved secret
        // never goes to an issuer it was not given for, and the accounts link again on their next sign-in.
        var changedProvider = signOn is not null && (signOn.Authority != authority || signOn.ClientId != form.ClientId.Trim() || newSecret is not null);
        var signedInThroughIt = signOn is not null && !changedProvider
            && await db.UserLogins.AnyAsync(l => l.UserId == by.Id && l.LoginProvider == signOn.Scheme, ct);
        // Requiring a provider nobody has signed in with could shut every coordinator out: only someone who has may.
        if (form.RequireSingleSignOn && !signedInThroughIt)
        {
            return (null, new() { ["requireSingleSignOn"] = "Sign in with the district account yourself first; then you can require it." });
        }
        var required = form.RequireSingleSignOn && !(signOn?.RequireSingleSignOn ?? false);
        if (signOn is null)
        {
            signOn = new DistrictSignOn { District = district };
            db.SignOns.Add(signOn);
        }
        signOn.DisplayName = form.DisplayName.Trim();
        signOn.Authority = authority;
        signOn.ClientId = form.ClientId.Trim();
        // An empty secret keeps the one saved for this same provider (it is never shown again); none is a public client.
        signOn.ClientSecret = changedProvider || newSecret is not null ? newSecret : signOn.ClientSecret;
        signOn.RequireSingleSignOn = form.RequireSingleSignOn;
        signOn.UpdatedAt = clock.GetUtcNow();
        signOn.UpdatedBy = by.Email ?? by.UserName ?? "";

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (changedProvider)
            {
                await ForgetLinks(db, district, ct);
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        if (required)
        {
            // Coordinators signed in with a password are signed out at their session's next check.
            foreach (var coordinator in await users.Users.Where(u => u.District == district).ToListAsync(ct))
            {
                if (!await users.IsInRoleAsync(coordinator, CoordinatorToken.DistrictAdmin))
                {
                    await users.UpdateSecurityStampAsync(coordinator);
                }
            }
        }
        await signOns.Current(ct);
        return (signOn, errors);
    }

    /// <summary>Removes the district's provider and every account's link to it; passwords work again for everyone.</summary>
    public async Task Remove(string district, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdminDb>();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await ForgetLinks(db, district, ct);
            await db.SignOns.Where(s => s.District == district).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
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
            using var response = await http.CreateClient(DistrictSignOnSetup.DiscoveryClient).GetAsync(address, ct);
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

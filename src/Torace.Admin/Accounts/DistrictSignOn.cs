using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Torace.Admin.Accounts;

/// <summary>
/// A district's own identity provider (OpenID Connect): its coordinators sign in with their district account instead of a
/// Torace password. A district admin sets it up (Settings, Sign-in); the client secret is kept for the token request and
/// never shown again.
/// </summary>
public sealed class DistrictSignOn
{
    /// <summary>The district (tenant id); a district has at most one provider.</summary>
    public string District { get; set; } = "";

    /// <summary>What the sign-in button says, for example "Springfield Schools account".</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The provider's issuer URL, whose <c>/.well-known/openid-configuration</c> describes it.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>Null for a public client (PKCE alone).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Everyone of the district signs in through the provider; a Torace password alone is refused.</summary>
    public bool RequireSingleSignOn { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    /// <summary>The authentication scheme of a district's provider.</summary>
    public static string SchemeOf(string district) => SchemePrefix + district;

    public const string SchemePrefix = "sso-";

    /// <summary>Where the provider sends the coordinator back; registered with the provider as the redirect URI.</summary>
    public static string CallbackPathOf(string district) => $"/signin-oidc/{district}";

    public string Scheme => SchemeOf(District);

    /// <summary>The table, created at start when missing (an existing admin database gains it without a migration).</summary>
    public const string CreateTable = """
        create table if not exists "DistrictSignOns" (
            "District" text primary key,
            "DisplayName" text not null,
            "Authority" text not null,
            "ClientId" text not null,
            "ClientSecret" text null,
            "RequireSingleSignOn" boolean not null,
            "UpdatedAt" timestamp with time zone not null,
            "UpdatedBy" text not null)
        """;
}

/// <summary>
/// The districts' identity providers as authentication schemes, one OpenID Connect scheme per district. They change
/// while the app runs (a district admin saves one), so they are read from the database whenever the sign-in page shows
/// or a sign-in passes through (<see cref="DistrictSignOnSetup.UseDistrictSignOn"/>), and each instance brings its
/// schemes in line: a new provider gains a scheme, a changed one rebuilds its options, a removed one loses its scheme.
/// </summary>
public sealed class DistrictSignOns(IServiceScopeFactory scopes, IAuthenticationSchemeProvider schemes, IOptionsMonitorCache<OpenIdConnectOptions> options)
{
    readonly ConcurrentDictionary<string, DistrictSignOn> known = new();
    readonly SemaphoreSlim syncing = new(1, 1);

    /// <summary>The provider of a scheme this instance knows, for its options.</summary>
    public DistrictSignOn? OfScheme(string scheme) =>
        scheme.StartsWith(DistrictSignOn.SchemePrefix, StringComparison.Ordinal) && known.TryGetValue(scheme[DistrictSignOn.SchemePrefix.Length..], out var p) ? p : null;

    /// <summary>A district's provider as this instance last read it.</summary>
    public DistrictSignOn? Of(string district) => known.GetValueOrDefault(district);

    /// <summary>Every district's provider as stored now, with the schemes brought in line.</summary>
    public async Task<IReadOnlyList<DistrictSignOn>> Current(CancellationToken ct)
    {
        // Read under the lock: a read that began before a save must not be applied after it.
        await syncing.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<AdminDb>().SignOns.AsNoTracking().OrderBy(s => s.DisplayName).ToListAsync(ct);
            foreach (var gone in known.Keys.Except(stored.Select(s => s.District)).ToList())
            {
                // The scheme goes first: a handler made meanwhile must not find the scheme without its provider.
                schemes.RemoveScheme(DistrictSignOn.SchemeOf(gone));
                options.TryRemove(DistrictSignOn.SchemeOf(gone));
                known.TryRemove(gone, out _);
            }
            foreach (var signOn in stored)
            {
                if (known.TryGetValue(signOn.District, out var was) && was.UpdatedAt == signOn.UpdatedAt)
                {
                    continue;
                }
                known[signOn.District] = signOn;
                options.TryRemove(signOn.Scheme);
                if (was is null)
                {
                    schemes.AddScheme(new AuthenticationScheme(signOn.Scheme, signOn.DisplayName, typeof(OpenIdConnectHandler)));
                }
            }
            return stored;
        }
        finally
        {
            syncing.Release();
        }
    }
}

/// <summary>A district provider's OpenID Connect options: authorisation code with PKCE, its own callback path, claims as the provider names them.</summary>
sealed class ConfigureDistrictOpenIdConnect(DistrictSignOns signOns, IWebHostEnvironment environment) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name is null || signOns.OfScheme(name) is not { } signOn)
        {
            return;
        }
        options.SignInScheme = IdentityConstants.ExternalScheme;
        options.Authority = signOn.Authority;
        options.ClientId = signOn.ClientId;
        options.ClientSecret = signOn.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        // The answer comes back as a top-level GET, so the correlation cookies can be SameSite=Lax (a form_post needs None).
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.CallbackPath = DistrictSignOn.CallbackPathOf(signOn.District);
        // Torace's sign-out ends only Torace's session; a provider's front-channel sign-out has nothing to clear.
        options.RemoteSignOutPath = PathString.Empty;
        options.Scope.Clear();
        foreach (var scope in (string[])["openid", "profile", "email"])
        {
            options.Scope.Add(scope);
        }
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = true;
        // The handler copies a few of userinfo's claims by default; whether the email is verified is one Torace needs.
        options.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
        options.SaveTokens = false;
        // A developer's provider runs on http://localhost; anywhere else the provider's metadata comes over https only.
        options.RequireHttpsMetadata = !environment.IsDevelopment();
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(10);
        options.Events.OnRemoteFailure = failure =>
        {
            // A refusal at the provider, a stale or replayed answer: back to the sign-in page with a clear word, never a 500.
            SignOnProblems.BackToSignIn(failure.HttpContext, SignOnProblems.ProviderFailed);
            failure.HandleResponse();
            return Task.CompletedTask;
        };
    }

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);
}

/// <summary>Why a single sign-on did not sign anyone in, as the sign-in page's <c>problem</c> says it.</summary>
public static class SignOnProblems
{
    public const string ProviderFailed = "provider";
    public const string NoAccount = "no-account";
    public const string LinkedToAnother = "linked-to-another";
    public const string LockedOut = "locked";
    public const string Unknown = "unknown-provider";

    /// <summary>Sends the browser back to the sign-in page, which says what <paramref name="problem"/> means.</summary>
    public static void BackToSignIn(HttpContext http, string problem) =>
        http.Response.Redirect($"{http.Request.PathBase}/account/login?problem={problem}");

    public static string? Describe(string? problem) => problem switch
    {
        ProviderFailed => "Your district's sign-in did not complete. Try again, or ask your district admin to check the sign-in settings.",
        NoAccount => "Your district account has no Torace login yet. Ask your district admin to add you under Coordinators.",
        LinkedToAnother => "That Torace login belongs to another district account. Ask your district admin.",
        LockedOut => "This account is locked. Try again later, or ask your district admin.",
        Unknown => "That district has no sign-in set up.",
        _ => null,
    };
}

public static class DistrictSignOnSetup
{
    /// <summary>Where a provider's sign-in ends, once the handler has read the provider's answer.</summary>
    public const string SignedInPath = "/account/signed-in";

    public static IHostApplicationBuilder AddDistrictSignOn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DistrictSignOns>();
        builder.Services.AddSingleton<SignOnSettings>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, ConfigureDistrictOpenIdConnect>();
        // What AddOpenIdConnect would register: the step that fills in the handler's configuration manager, state format and so on.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        builder.Services.AddHttpClient(DiscoveryClient, http => http.Timeout = TimeSpan.FromSeconds(10));
        return builder;
    }

    /// <summary>The client that reads a provider's discovery document when a district admin saves it.</summary>
    public const string DiscoveryClient = "sign-on-discovery";

    /// <summary>
    /// Before authentication, on the paths of a sign-in: the providers as stored now. The provider's answer may reach an
    /// instance that has not read that district's provider yet, or one removed since (its sign-in page then says so,
    /// rather than a 404). The database out of reach leaves the providers as last read.
    /// </summary>
    public static WebApplication UseDistrictSignOn(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/signin-oidc", out var rest) || path.StartsWithSegments("/account/sso") || path.StartsWithSegments(SignedInPath))
            {
                var signOns = context.RequestServices.GetRequiredService<DistrictSignOns>();
                try
                {
                    await signOns.Current(context.RequestAborted);
                }
                catch (Exception e) when (e is DbException or TimeoutException)
                {
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Torace.Admin.SignOn")
                        .LogWarning(e, "The districts' identity providers could not be read; using those read before");
                }
                if (rest.HasValue && signOns.Of(rest.Value!.Trim('/')) is null)
                {
                    SignOnProblems.BackToSignIn(context, SignOnProblems.Unknown);
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    public static void MapDistrictSignOn(this WebApplication app)
    {
        // Starts a district's sign-in at its provider; the provider sends the browser back to the callback path, and
        // the handler to SignedInPath. A provider out of reach (its discovery document is read here) is said so.
        app.MapGet("/account/sso/{district}", async Task (string district, string? returnUrl, HttpContext http, DistrictSignOns signOns,
            SignInManager<AdminUser> signIn, ILoggerFactory logs) =>
        {
            if (signOns.Of(district) is not { } signOn)
            {
                SignOnProblems.BackToSignIn(http, SignOnProblems.Unknown);
                return;
            }
            var done = $"{SignedInPath}?returnUrl={Uri.EscapeDataString(SignIn.LocalPath(returnUrl))}";
            try
            {
                await http.ChallengeAsync(signOn.Scheme, signIn.ConfigureExternalAuthenticationProperties(signOn.Scheme, done));
            }
            catch (Exception e) when (!http.Response.HasStarted && e is InvalidOperationException or HttpRequestException or IOException)
            {
                logs.CreateLogger("Torace.Admin.SignOn").LogWarning(e, "The identity provider of {District} could not be reached", district);
                SignOnProblems.BackToSignIn(http, SignOnProblems.ProviderFailed);
            }
        }).AllowAnonymous();

        app.MapGet(SignedInPath, async Task (string? returnUrl, HttpContext http, DistrictSignOns signOns, SignInManager<AdminUser> signIn,
            UserManager<AdminUser> users, ILoggerFactory logs) =>
        {
            var problem = await SignInThroughProvider(signIn, users, signOns, logs.CreateLogger("Torace.Admin.SignOn"));
            await http.SignOutAsync(IdentityConstants.ExternalScheme);
            if (problem is null)
            {
                await Continue(http.Request.PathBase + SignIn.LocalPath(returnUrl)).ExecuteAsync(http);
                return;
            }
            SignOnProblems.BackToSignIn(http, problem);
        }).AllowAnonymous();
    }

    /// <summary>
    /// Signs in the Torace account the provider's answer names: the one linked to this provider's subject, or, the
    /// first time, the account of the district with the provider's email (not one the provider says is unverified, and
    /// not one already linked to another subject of it). Answers null when signed in, otherwise the problem. A provider
    /// never signs in an account of another district.
    /// </summary>
    static async Task<string?> SignInThroughProvider(SignInManager<AdminUser> signIn, UserManager<AdminUser> users, DistrictSignOns signOns, ILogger log)
    {
        if (await signIn.GetExternalLoginInfoAsync() is not { } external || signOns.OfScheme(external.LoginProvider) is not { } signOn)
        {
            return SignOnProblems.ProviderFailed;
        }
        var user = await users.FindByLoginAsync(external.LoginProvider, external.ProviderKey);
        if (user is null)
        {
            var email = external.Principal.FindFirst("email")?.Value;
            var verified = external.Principal.FindFirst("email_verified")?.Value;
            user = email is null || string.Equals(verified, "false", StringComparison.OrdinalIgnoreCase) ? null : await users.FindByEmailAsync(email);
            if (user is null || user.District != signOn.District)
            {
                log.LogInformation("Single sign-on for {District} named no account of the district", signOn.District);
                return SignOnProblems.NoAccount;
            }
            // A recycled address or a person made again at the provider is a new subject: it never takes over a login.
            if ((await users.GetLoginsAsync(user)).Any(l => l.LoginProvider == external.LoginProvider))
            {
                log.LogWarning("Single sign-on for {District}: a second subject named an account already linked", signOn.District);
                return SignOnProblems.LinkedToAnother;
            }
            var linked = await users.AddLoginAsync(user, new UserLoginInfo(external.LoginProvider, external.ProviderKey, signOn.DisplayName));
            if (!linked.Succeeded)
            {
                return SignOnProblems.ProviderFailed;
            }
        }
        if (user.District != signOn.District)
        {
            return SignOnProblems.NoAccount;
        }
        if (await users.IsLockedOutAsync(user))
        {
            return SignOnProblems.LockedOut;
        }
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: external.LoginProvider);
        return null;
    }

    /// <summary>
    /// The coordinator's page, reached by a navigation of this site's own: the provider's redirect chain started on
    /// another site, and the session cookie (SameSite=Strict) is not sent along such a chain.
    /// </summary>
    static IResult Continue(string path)
    {
        var encoded = System.Net.WebUtility.HtmlEncode(path);
        return TypedResults.Content($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={encoded}"><title>Signing in · Torace</title></head>
            <body><p>Signed in. <a href="{encoded}">Continue to Torace</a>.</p></body></html>
            """, "text/html; charset=utf-8");
    }
}

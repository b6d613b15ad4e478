using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Torace.IntegrationTests.Fixture;

/// <summary>
/// A district's identity provider, as small as OpenID Connect allows and as strict as a real one where Torace could get
/// it wrong: discovery, keys (RS256), an authorization endpoint that signs in <see cref="NextUser"/> at once (no login
/// page), a token endpoint that checks the client's secret, the redirect URI, PKCE (S256) and that a code is used
/// once, and a userinfo endpoint. Runs in the test process on a port of its own.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    readonly WebApplication app;
    readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "test-key-1" };
    readonly ConcurrentDictionary<string, Grant> grants = new();
    readonly ConcurrentDictionary<string, (string Subject, string Email, bool Verified)> accessTokens = new();

    public string ClientId { get; } = "torace-admin";
    public string ClientSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Who the provider signs in next: their subject, email, and whether the email is verified.</summary>
    public (string Subject, string Email, bool Verified) NextUser { get; set; } = ("nobody", "nobody@example.org", true);

    /// <summary>Every token request that was refused, and why (a test asserts there are none).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Every authorization request, as "who it signed in, from which page" (a failure's message prints them).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Codes issued with a PKCE challenge and later redeemed with its verifier.</summary>
    public int PkceRedemptions => pkceRedemptions;

    int pkceRedemptions;

    public string Issuer { get; private set; } = "";

    sealed record Grant(string ClientId, string RedirectUri, string? Nonce, string? Challenge, (string Subject, string Email, bool Verified) User);

    TestIdentityProvider(WebApplication app) => this.app = app;

    public static async Task<TestIdentityProvider> Start(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var provider = new TestIdentityProvider(builder.Build());
        provider.Map();
        provider.MapUserInfo();
        await provider.app.StartAsync(ct);
        provider.Issuer = provider.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');
        return provider;
    }

    void Map()
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = Issuer + "/authorize",
            ["token_endpoint"] = Issuer + "/token",
            ["jwks_uri"] = Issuer + "/jwks",
            ["userinfo_endpoint"] = Issuer + "/userinfo",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        }));

        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = jwk.N, e = jwk.E } } });
        });

        app.MapGet("/authorize", (HttpRequest request) =>
        {
            string? Query(string name) => request.Query[name].FirstOrDefault();
            var redirect = Query("redirect_uri");
            if (Query("client_id") != ClientId || redirect is null || Query("response_type") != "code" || !(Query("scope") ?? "").Split(' ').Contains("openid"))
            {
                return Results.BadRequest("invalid authorization request");
            }
            if (Query("code_challenge") is not null && Query("code_challenge_method") != "S256")
            {
                return Results.BadRequest("only S256");
            }
            Authorizations.Enqueue($"{NextUser.Email} from {request.Headers.Referer}");
            var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            grants[code] = new Grant(ClientId, redirect, Query("nonce"), Query("code_challenge"), NextUser);
            var back = $"{redirect}{(redirect.Contains('?') ? '&' : '?')}code={code}&state={Uri.EscapeDataString(Query("state") ?? "")}&iss={Uri.EscapeDataString(Issuer)}";
            return Results.Redirect(back);
        });

        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var (clientId, secret) = ClientOf(request, form);
            IResult Refuse(string why)
            {
                Refusals.Enqueue(why);
                return Results.Json(new { error = "invalid_grant", error_description = why }, statusCode: 400);
            }
            if (form["grant_type"] != "authorization_code")
            {
                return Refuse("grant_type");
            }
            if (clientId != ClientId || secret != ClientSecret)
            {
                return Refuse("client authentication");
            }
            if (!grants.TryRemove(form["code"].ToString(), out var grant))
            {
                return Refuse("unknown or used code");
            }
            if (grant.RedirectUri != form["redirect_uri"])
            {
                return Refuse("redirect_uri differs from the authorization request's");
            }
            if (grant.Challenge is not null)
            {
                var verifier = form["code_verifier"].ToString();
                if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.Challenge)
                {
                    return Refuse("PKCE verifier does not match the challenge");
                }
                Interlocked.Increment(ref pkceRedemptions);
            }

            var accessToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            accessTokens[accessToken] = grant.User;
            var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
            var claims = new Dictionary<string, object>
            {
                ["sub"] = grant.User.Subject,
                ["email"] = grant.User.Email,
                ["email_verified"] = grant.User.Verified,
                ["name"] = grant.User.Email.Split('@')[0],
                ["at_hash"] = Base64UrlEncoder.Encode(hash[..(hash.Length / 2)]),
            };
            if (grant.Nonce is not null)
            {
                claims["nonce"] = grant.Nonce;
            }
            var now = DateTime.UtcNow;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = ClientId,
                Claims = claims,
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(5),
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new { access_token = accessToken, token_type = "Bearer", expires_in = 300, id_token = idToken });
        });
    }

    /// <summary>The person an access token was issued for, as a provider's userinfo endpoint answers (the client asks after the token).</summary>
    void MapUserInfo() => app.MapGet("/userinfo", (HttpRequest request) =>
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !accessTokens.TryGetValue(header[7..], out var user))
        {
            return Results.Unauthorized();
        }
        UserInfoCalls++;
        return Results.Json(new Dictionary<string, object> { ["sub"] = user.Subject, ["email"] = user.Email, ["email_verified"] = user.Verified });
    });

    /// <summary>How many times the userinfo endpoint answered.</summary>
    public int UserInfoCalls { get; private set; }

    static (string? ClientId, string? Secret) ClientOf(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }
        return (form["client_id"].FirstOrDefault(), form["client_secret"].FirstOrDefault());
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

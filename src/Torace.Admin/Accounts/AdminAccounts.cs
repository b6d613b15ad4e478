using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Torace.Platform.Storage;
using Torace.Platform.Tenancy;

namespace Torace.Admin.Accounts;

/// <summary>A login the admin app creates at start when it is missing (Admin:Coordinators; the AppHost seeds one per demo district).</summary>
public sealed record SeededCoordinator(string District, string Email, string Password, string Role = CoordinatorToken.DistrictAdmin);

public static class AdminAccounts
{
    public const string Section = "Admin:Coordinators";

    /// <summary>Five wrong passwords lock an account for a quarter of an hour.</summary>
    public const int MaxFailedSignIns = 5;

    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    public static IHostApplicationBuilder AddAdminAccounts(this IHostApplicationBuilder builder)
    {
        var connection = builder.AddServiceDatabase("admin");
        builder.Services.AddDbContext<AdminDb>(db => db.UseNpgsql(connection));
        builder.Services.AddIdentity<AdminUser, IdentityRole>(identity =>
            {
                identity.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
                identity.Lockout.DefaultLockoutTimeSpan = Lockout;
                identity.Lockout.AllowedForNewUsers = true;
                identity.Password.RequiredLength = 12;
                identity.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<AdminDb>()
            .AddClaimsPrincipalFactory<AdminClaims>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "torace-admin";
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.LoginPath = "/account/login";
            cookie.AccessDeniedPath = "/account/denied";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingAdminAuthenticationState>();
        builder.Services.AddHostedService<AdminAccountsStartup>();
        return builder;
    }

    /// <summary>Sign-out is a POST with the antiforgery token (the layout's form), never a link a page could trigger.</summary>
    public static void MapAdminAccounts(this WebApplication app) =>
        app.MapPost("/account/logout", async Task<IResult> (HttpContext http, IAntiforgery antiforgery, SignInManager<AdminUser> signIn) =>
        {
            // The form's antiforgery token is checked here: an endpoint that binds no form field is not checked for it.
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.Problem(title: "Sign out from Torace's own page.", statusCode: StatusCodes.Status400BadRequest);
            }
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/account/login");
        }).RequireAuthorization();

    /// <summary>Creates the Identity tables when missing, the two roles, and each seeded login that does not exist yet.</summary>
    sealed class AdminAccountsStartup(IServiceProvider services, IConfiguration configuration) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AdminDb>();
            await db.Database.EnsureCreatedAsync(ct);
            await db.Database.ExecuteSqlRawAsync(DistrictSignOn.CreateTable, ct);
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in CoordinatorToken.Roles)
            {
                if (!await roles.RoleExistsAsync(role))
                {
                    Succeeded(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
                }
            }
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();
            foreach (var seed in configuration.GetSection(Section).Get<SeededCoordinator[]>() ?? [])
            {
                if (await users.FindByEmailAsync(seed.Email) is not null)
                {
                    continue;
                }
                var user = new AdminUser { UserName = seed.Email, Email = seed.Email, EmailConfirmed = true, District = seed.District, DisplayName = seed.Email };
                Succeeded(await users.CreateAsync(user, seed.Password), seed.Email);
                Succeeded(await users.AddToRoleAsync(user, seed.Role), seed.Email);
            }
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

        static void Succeeded(IdentityResult result, string what)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Could not create {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }
        }
    }
}

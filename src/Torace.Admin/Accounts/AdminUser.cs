using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Torace.Platform.Tenancy;

namespace Torace.Admin.Accounts;

/// <summary>A person who signs in to the admin front end: a coordinator or district admin of exactly one district.</summary>
public sealed class AdminUser : IdentityUser
{
    /// <summary>The district (tenant id) they work for; they see nothing of any other.</summary>
    public string District { get; set; } = "";

    public string DisplayName { get; set; } = "";
}

/// <summary>
/// The admin front end's own database: ASP.NET Core Identity's tables (users, roles, lockout, hashed passwords, the
/// logins linked to a district's identity provider) and each district's provider.
/// </summary>
public sealed class AdminDb(DbContextOptions<AdminDb> options) : IdentityDbContext<AdminUser>(options)
{
    public DbSet<DistrictSignOn> SignOns => Set<DistrictSignOn>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<DistrictSignOn>(s =>
        {
            s.ToTable("DistrictSignOns");
            s.HasKey(x => x.District);
            s.Ignore(x => x.Scheme);
        });
    }
}

/// <summary>Signs a user in with their district as the <c>tenant</c> claim, the one the gateway's coordinator token carries.</summary>
public sealed class AdminClaims(UserManager<AdminUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AdminUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AdminUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ServiceToken.TenantClaim, user.District));
        identity.AddClaim(new Claim(ClaimTypes.GivenName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        return identity;
    }
}

using System.Security.Cryptography;
using Torace.Platform.Tenancy;

namespace Torace.UnitTests.Platform;

public sealed class CoordinatorTokenTests
{
    static readonly Microsoft.IdentityModel.Tokens.SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Given_a_coordinators_token_when_checked_then_it_names_the_district_the_user_and_read_and_write()
    {
        var token = CoordinatorToken.Issue(Key, "demo-a", "user-1", CoordinatorToken.Coordinator, DateTimeOffset.UtcNow);

        var (caller, problem) = await CoordinatorToken.Check(Key, token);

        Assert.Null(problem);
        Assert.Equal(("demo-a", Actors.Coordinator, "user-1", CoordinatorToken.Coordinator), (caller!.TenantId, caller.Actor, caller.Subject, caller.Role));
        Assert.Equal([Scopes.Read, Scopes.Write], caller.Scopes.Order());
        Assert.True(CoordinatorToken.IsAddressedToCoordinators(token));
    }

    [Fact]
    public async Task Given_a_district_admins_token_when_checked_then_it_also_has_the_admin_scope()
    {
        var (caller, _) = await CoordinatorToken.Check(Key, CoordinatorToken.Issue(Key, "demo-a", "user-2", CoordinatorToken.DistrictAdmin, DateTimeOffset.UtcNow));

        Assert.Contains(Scopes.Admin, caller!.Scopes);
    }

    [Fact]
    public async Task Given_an_expired_token_or_another_key_when_checked_then_nobody_is_named_and_the_reason_is_given()
    {
        var expired = CoordinatorToken.Issue(Key, "demo-a", "user-1", CoordinatorToken.Coordinator, DateTimeOffset.UtcNow.AddMinutes(-3));
        var forged = CoordinatorToken.Issue(new(RandomNumberGenerator.GetBytes(32)), "demo-a", "user-1", CoordinatorToken.Coordinator, DateTimeOffset.UtcNow);

        Assert.Equal((null, "The coordinator's token has expired."), await CoordinatorToken.Check(Key, expired));
        Assert.Equal((null, "The coordinator's token is not valid."), await CoordinatorToken.Check(Key, forged));
    }

    [Theory]
    [InlineData("not.a.token")]
    [InlineData("a.b")]
    [InlineData("")]
    public void Given_a_bearer_that_is_no_jwt_when_asked_whether_it_is_for_coordinators_then_no(string token)
    {
        Assert.False(CoordinatorToken.IsAddressedToCoordinators(token));
    }

    [Fact]
    public void Given_a_role_outside_the_two_when_issued_then_it_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CoordinatorToken.Issue(Key, "demo-a", "user-1", "superuser", DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Given_a_missing_malformed_or_short_key_setting_when_read_then_start_up_stops_naming_the_setting(string? value)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => SigningKey.Bytes(value, "Admin:CoordinatorSigningKey"));

        Assert.Equal("Admin:CoordinatorSigningKey must be a base64 key of at least 32 bytes.", refused.Message);
    }
}

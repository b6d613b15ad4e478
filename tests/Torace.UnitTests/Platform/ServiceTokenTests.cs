using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Torace.Platform.Tenancy;

namespace Torace.UnitTests.Platform;

public class ServiceTokenTests
{
    static ServiceTokenOptions Options() => new() { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    [Fact]
    public async Task A_token_carries_the_district_it_was_minted_for()
    {
        var options = Options();

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(
            ServiceToken.Issue(options, "demo-a", DateTimeOffset.UtcNow), ServiceToken.ValidationParameters(options));

        Assert.True(result.IsValid);
        Assert.Equal("demo-a", result.ClaimsIdentity.FindFirst(ServiceToken.TenantClaim)?.Value);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_or_expired_is_refused()
    {
        var options = Options();
        var handler = new JsonWebTokenHandler();

        var forged = await handler.ValidateTokenAsync(ServiceToken.Issue(Options(), "demo-a", DateTimeOffset.UtcNow), ServiceToken.ValidationParameters(options));
        var expired = await handler.ValidateTokenAsync(ServiceToken.Issue(options, "demo-a", DateTimeOffset.UtcNow.AddMinutes(-5)), ServiceToken.ValidationParameters(options));

        Assert.False(forged.IsValid);
        Assert.False(expired.IsValid);
    }

    [Fact]
    public void A_missing_or_short_signing_key_stops_start_up()
    {
        Assert.Throws<InvalidOperationException>(() => new ServiceTokenOptions().Key());
        Assert.Throws<InvalidOperationException>(() => new ServiceTokenOptions { SigningKey = Convert.ToBase64String(new byte[16]) }.Key());
    }
}

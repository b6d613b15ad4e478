using Torace.Admin.Accounts;

namespace Torace.UnitTests.Admin;

public sealed class SignInReturnTests
{
    [Theory]
    [InlineData("programs/5", "/programs/5")]
    [InlineData("/settings/api-keys", "/settings/api-keys")]
    [InlineData(null, "/")]
    [InlineData("//evil.example", "/evil.example")]
    [InlineData("https://evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("\t/evil.example", "/")]
    [InlineData("/%09/evil.example", "/%09/evil.example")]
    public void Given_a_return_address_when_signed_in_then_only_a_path_of_this_site_is_followed(string? returnUrl, string followed)
    {
        Assert.Equal(followed, SignIn.LocalPath(returnUrl));
    }
}

using Torace.Admin.Accounts;

namespace Torace.UnitTests.Admin;

public sealed class SignOnSettingsTests
{
    static SignOnForm Form(string displayName = "Springfield Schools account", string authority = "https://login.springfield.example/realms/staff", string clientId = "torace") =>
        new(displayName, authority, clientId, ClientSecret: null, RequireSingleSignOn: false);

    [Fact]
    public void Given_a_complete_form_when_checked_then_it_can_be_tried_against_the_provider() =>
        Assert.Empty(SignOnSettings.Check(Form(), allowHttp: false));

    [Theory]
    [InlineData("", "https://login.example.org", "torace", "displayName")]
    [InlineData("   ", "https://login.example.org", "torace", "displayName")]
    [InlineData("Springfield", "login.example.org", "torace", "authority")]
    [InlineData("Springfield", "ftp://login.example.org", "torace", "authority")]
    [InlineData("Springfield", "http://login.example.org", "torace", "authority")]
    [InlineData("Springfield", "https://login.example.org/?tenant=1", "torace", "authority")]
    [InlineData("Springfield", "https://login.example.org", " ", "clientId")]
    public void Given_a_mistake_when_checked_then_the_field_is_named(string displayName, string authority, string clientId, string field)
    {
        var errors = SignOnSettings.Check(Form(displayName, authority, clientId), allowHttp: false);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Given_a_name_longer_than_a_button_when_checked_then_it_is_refused() =>
        Assert.Contains("displayName", SignOnSettings.Check(Form(displayName: new string('x', SignOnSettings.MaxDisplayName + 1)), allowHttp: false).Keys);

    [Fact]
    public void Given_a_developers_provider_on_http_when_checked_in_development_then_it_is_allowed() =>
        Assert.Empty(SignOnSettings.Check(Form(authority: "http://127.0.0.1:5301"), allowHttp: true));
}

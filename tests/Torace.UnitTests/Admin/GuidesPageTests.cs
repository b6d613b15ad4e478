using System.Net;
using Bunit;
using Torace.Admin.Gateway;
using Torace.Admin.Settings;

namespace Torace.UnitTests.Admin;

/// <summary>The district's 1-, 2- and 3-session guide links: read, saved, and the API's field errors at their fields.</summary>
public sealed class GuidesPageTests : AdminComponentTest
{
    IRenderedComponent<GuidesPage> RenderPage()
    {
        gateway.On("GET /api/v1/settings/guides", _ => RecordingGateway.Json(new GuidesItem("https://district.example.org/one.pdf", null, null)));
        var page = RenderWithProviders<GuidesPage>();
        page.WaitForAssertion(() => Assert.Equal("https://district.example.org/one.pdf", Field(page, "One-session guide").GetAttribute("value")));
        return page;
    }

    [Fact]
    public void Given_the_districts_guides_when_a_link_is_added_and_saved_then_all_three_are_put_with_an_empty_one_cleared()
    {
        gateway.On("PUT /api/v1/settings/guides", r => RecordingGateway.Json(new GuidesItem("https://district.example.org/one.pdf", "https://district.example.org/two.pdf", null)));
        var page = RenderPage();

        Field(page, "Two-session guide").Input("https://district.example.org/two.pdf");
        Button(page, "Save the guides").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=saved]")));
        var put = gateway.Requests.Single(r => r.Line == "PUT /api/v1/settings/guides").Body!.Value;
        Assert.Equal("https://district.example.org/two.pdf", put.GetProperty("twoSession").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, put.GetProperty("threeSession").ValueKind);
    }

    [Fact]
    public void Given_a_link_the_API_refuses_when_saved_then_its_words_are_shown_at_that_field()
    {
        gateway.On("PUT /api/v1/settings/guides", _ => RecordingGateway.Problem(HttpStatusCode.BadRequest, "One or more validation errors occurred.",
            new() { ["threeSession"] = ["'threeSession' must be an absolute http(s) URL."] }));
        var page = RenderPage();

        Field(page, "Three-session guide").Input("guides/three");
        Button(page, "Save the guides").Click();

        page.WaitForAssertion(() => Assert.Contains("'threeSession' must be an absolute http(s) URL.",
            Field(page, "Three-session guide").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=saved]"));
    }

    [Fact]
    public void Given_the_gateway_fails_when_the_page_opens_then_it_says_the_guides_could_not_be_loaded()
    {
        gateway.On("GET /api/v1/settings/guides", _ => RecordingGateway.Problem(HttpStatusCode.ServiceUnavailable, "Programs is not answering."));

        var page = RenderWithProviders<GuidesPage>();

        page.WaitForAssertion(() => Assert.Contains("The guides could not be loaded: Programs is not answering.", page.Find("[data-testid=problem]").TextContent, StringComparison.Ordinal));
    }
}

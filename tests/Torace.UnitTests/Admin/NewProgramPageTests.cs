using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using MudBlazor;
using MudBlazor.Services;
using Torace.Admin.Gateway;
using Torace.Admin.Programs;
using Torace.Platform.Tenancy;

namespace Torace.UnitTests.Admin;

/// <summary>The new-program page against a recording gateway: what it refuses to send, and what it sends.</summary>
public sealed class NewProgramPageTests : BunitContext
{
    readonly RecordingGateway gateway = new();
    readonly SymmetricSecurityKey key = new(RandomNumberGenerator.GetBytes(32));

    public NewProgramPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        AddAuthorization().SetAuthorized("coordinator@demo-a.example.org")
            .SetRoles(CoordinatorToken.Coordinator)
            .SetClaims(new Claim("tenant", "demo-a"), new Claim(ClaimTypes.NameIdentifier, "user-1"));
        Services.AddSingleton(new DistrictClock(TimeProvider.System, new ConfigurationBuilder().Build()));
        Services.AddScoped(sp => new GatewayApi(new HttpClient(gateway) { BaseAddress = new Uri("http://gateway") },
            sp.GetRequiredService<AuthenticationStateProvider>(), new CoordinatorSigningKey(key), TimeProvider.System));
    }

    IRenderedComponent<NewProgramPage> RenderPage()
    {
        Render<MudPopoverProvider>();
        return Render<NewProgramPage>();
    }

    [Fact]
    public void Given_an_empty_form_when_created_then_the_missing_answers_are_marked_and_nothing_is_sent()
    {
        var page = RenderPage();

        page.FindAll("button").Single(b => b.TextContent.Contains("Create and open", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("Give the program a name people will recognise in their email.", page.Markup, StringComparison.Ordinal));
        Assert.Contains("Some answers need another look", page.Find("[data-testid=problem]").TextContent, StringComparison.Ordinal);
        Assert.Empty(gateway.Requests);
    }

    [Fact]
    public async Task Given_the_three_session_template_and_a_filled_form_when_created_and_opened_then_one_keyed_create_and_an_open_are_sent()
    {
        var page = RenderPage();
        page.FindAll("[role=button]").Single(c => c.TextContent.Contains("Three-session intervention", StringComparison.Ordinal)).Click();
        Field(page, "Program name").Input("Lesson planning pairs");
        Field(page, "Topic").Input("lesson planning");
        Field(page, "Your message").Input("Bring one lesson plan.");

        page.WaitForAssertion(() => Assert.Contains("3 sessions, 14 days apart", page.Find("[data-testid=email-preview]").TextContent, StringComparison.Ordinal));
        page.FindAll("button").Single(b => b.TextContent.Contains("Create and open", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.True(gateway.Requests.Count == 2, page.FindAll("[data-testid=problem]").FirstOrDefault()?.TextContent));
        var (create, open) = (gateway.Requests[0], gateway.Requests[1]);
        Assert.Equal("POST /api/v1/programs", create.Line);
        Assert.StartsWith("admin-new-program-", create.IdempotencyKey, StringComparison.Ordinal);
        var (coordinator, _) = await CoordinatorToken.Check(key, create.Authorization!["Bearer ".Length..]);
        Assert.Equal(("demo-a", "user-1", CoordinatorToken.Coordinator), (coordinator!.TenantId, coordinator.Subject, coordinator.Role));
        Assert.Equal(3, create.Body!.Value.GetProperty("sessions").GetArrayLength());
        Assert.Equal($"POST /api/v1/programs/{RecordingGateway.ProgramId}/open", open.Line);
        Assert.EndsWith($"/programs/{RecordingGateway.ProgramId}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    /// <summary>The input a label names (MudBlazor ties each label to its input with for/id).</summary>
    static IElement Field(IRenderedComponent<NewProgramPage> page, string label) =>
        page.Find($"#{page.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for")}");

    sealed record Recorded(string Line, string? IdempotencyKey, string? Authorization, JsonElement? Body);

    sealed class RecordingGateway : HttpMessageHandler
    {
        public static readonly Guid ProgramId = Guid.Parse("5a1d6c1e-0000-4000-8000-000000000001");

        public List<Recorded> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add(new Recorded(
                $"{request.Method} {request.RequestUri!.AbsolutePath}",
                request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null,
                request.Headers.Authorization?.ToString(),
                request.Content is null ? null : await request.Content.ReadFromJsonAsync<JsonElement>(ct)));
            var program = new ProgramItem(ProgramId, request.RequestUri.AbsolutePath.EndsWith("/open", StringComparison.Ordinal) ? "open" : "draft",
                "Lesson planning pairs", "topic-intervention", "lesson planning", [], 1, true, true, new ProgramMessage("Bring one lesson plan.", null), 0, 0, DateTimeOffset.UtcNow);
            return new HttpResponseMessage(request.Method == HttpMethod.Post && !request.RequestUri.AbsolutePath.EndsWith("/open", StringComparison.Ordinal) ? HttpStatusCode.Created : HttpStatusCode.OK)
            {
                Content = JsonContent.Create(program, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            };
        }
    }
}

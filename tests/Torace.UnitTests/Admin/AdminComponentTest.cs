using System.Security.Claims;
using System.Security.Cryptography;
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

/// <summary>An admin component signed in as a demo-a coordinator, calling a <see cref="RecordingGateway"/>.</summary>
public abstract class AdminComponentTest : BunitContext
{
    protected readonly RecordingGateway gateway = new();
    protected readonly SymmetricSecurityKey key = new(RandomNumberGenerator.GetBytes(32));

    protected AdminComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        AddAuthorization().SetAuthorized("coordinator@demo-a.example.org")
            .SetRoles(CoordinatorToken.Coordinator)
            .SetClaims(new Claim("tenant", "demo-a"), new Claim(ClaimTypes.NameIdentifier, "user-1"));
        Services.AddSingleton(new DistrictClock(TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["Admin:TimeZone"] = "America/Chicago" }).Build()));
        Services.AddScoped(sp => new GatewayApi(new HttpClient(gateway) { BaseAddress = new Uri("http://gateway") },
            sp.GetRequiredService<AuthenticationStateProvider>(), new CoordinatorSigningKey(key), TimeProvider.System));
    }

    /// <summary>Where MudBlazor draws dialogs (and so the dialogs' fields and buttons).</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = default!;

    protected IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        Render<MudPopoverProvider>();
        Dialogs = Render<MudDialogProvider>();
        return parameters is null ? Render<T>() : Render(parameters);
    }

    /// <summary>The one button that reads <paramref name="text"/>.</summary>
    protected static IElement Button<T>(IRenderedComponent<T> where, string text) where T : IComponent =>
        where.FindAll("button").Single(b => b.TextContent.Trim() == text);

    protected static bool HasButton<T>(IRenderedComponent<T> where, string text) where T : IComponent =>
        where.FindAll("button").Any(b => b.TextContent.Trim() == text);

    /// <summary>The input a label names (MudBlazor ties each label to its input with for/id).</summary>
    protected static IElement Field<T>(IRenderedComponent<T> where, string label) where T : IComponent =>
        where.Find($"#{where.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for")}");
}

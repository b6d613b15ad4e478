using MudBlazor.Services;
using Torace.Admin.Accounts;
using Torace.Admin.Components;
using Torace.Admin.Gateway;
using Torace.Admin.Programs;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAdminAccounts();
builder.AddDistrictSignOn();
builder.AddGatewayApi();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddSingleton<DistrictClock>();

var app = builder.Build();
app.UseDistrictSignOn();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAdminAccounts();
app.MapDistrictSignOn();
app.MapDefaultEndpoints();
app.Run();

/// <summary>The admin front end: coordinators of a district run their programs here, through the gateway's public API only.</summary>
public partial class Program;

using Torace.Participate.Components;
using Torace.Participate.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddParticipantGateway();
builder.Services.AddRazorComponents();

var app = builder.Build();
app.UseParticipantPageHeaders();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>();
app.MapDefaultEndpoints();
app.Run();

/// <summary>The participant pages: what a mentor or mentee opens from an email's link, server-rendered, acting through the gateway as the link's participant.</summary>
public partial class Program;

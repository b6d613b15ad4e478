using Torace.Gateway.ApiDocument;
using Torace.Gateway.ApiKeys;
using Torace.Gateway.Proxy;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiKeys();
builder.AddDistrictProxy();
builder.AddPublicApiDocument();

var app = builder.Build();
app.UseDistrictProxy();
app.MapPublicApiDocument();
app.MapDefaultEndpoints();
app.Run();

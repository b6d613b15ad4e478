using Torace.Gateway;
using Torace.Gateway.ApiDocument;
using Torace.Gateway.Proxy;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayApi();
builder.AddDistrictProxy();
builder.AddPublicApiDocument();

var app = builder.Build();
app.UseDistrictProxy();
app.MapGatewayApi();
app.MapPublicApiDocument();
app.MapDefaultEndpoints();
app.Run();

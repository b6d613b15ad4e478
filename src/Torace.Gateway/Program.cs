using Torace.Gateway;
using Torace.Gateway.Proxy;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayApi();
builder.AddDistrictProxy();

var app = builder.Build();
app.UseDistrictProxy();
app.MapGatewayApi();
app.MapDefaultEndpoints();
app.Run();

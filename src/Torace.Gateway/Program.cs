using Torace.Gateway.ApiKeys;
using Torace.Gateway.Proxy;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApiKeys();
builder.AddDistrictProxy();

var app = builder.Build();
app.UseDistrictProxy();
app.MapDefaultEndpoints();
app.Run();

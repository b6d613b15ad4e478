using Torace.Platform.Api;
using Torace.Platform.Messaging;
using Torace.Platform.Storage;
using Torace.Scheduling;
using Torace.Scheduling.Engagements;
using Torace.Scheduling.Touchpoints;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceApi();
var store = builder.AddToraceStore(SchedulingService.Name, SchedulingService.ConfigureStore);
builder.AddToraceMessaging<SchedulingIntegrationEvents>(SchedulingService.Name, store, SchedulingService.RegisterConsumers);
builder.AddTouchpointSweeps();

var app = builder.Build();
app.UseServiceApi();
app.MapPublicApi().MapEngagementsApi();
app.MapTouchpointSweeps();
app.Run();

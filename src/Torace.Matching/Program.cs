using Torace.Matching;
using Torace.Matching.Waitlist;
using Torace.Matching.Matches;
using Torace.Matching.Runs;
using Torace.Platform.Api;
using Torace.Platform.Messaging;
using Torace.Platform.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceApi();
var store = builder.AddToraceStore(MatchingService.Name, MatchingService.ConfigureStore);
builder.AddToraceMessaging<MatchingIntegrationEvents>(MatchingService.Name, store, MatchingService.RegisterConsumers);

var app = builder.Build();
app.UseServiceApi();
app.MapPublicApi()
    .MapMatchingRunsApi()
    .MapMatchesApi()
    .MapWaitlistApi();
app.Run();

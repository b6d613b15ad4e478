using Torace.Platform.Api;
using Torace.Platform.Messaging;
using Torace.Platform.Storage;
using Torace.Programs;
using Torace.Programs.Enrolment;
using Torace.Programs.History;
using Torace.Programs.Import;
using Torace.Programs.Lifecycle;
using Torace.Programs.MatchingRequests;
using Torace.Programs.Templates;
using Torace.Programs.People;
using Torace.Programs.Reports;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceApi();
var store = builder.AddToraceStore(ProgramsService.Name, ProgramsService.ConfigureStore);
builder.AddToraceMessaging<ProgramsIntegrationEvents>(ProgramsService.Name, store, ProgramsService.RegisterConsumers);
builder.AddEnrolmentImports();
builder.AddEnrolmentCounts();

var app = builder.Build();
app.UseServiceApi();
app.MapPublicApi()
    .MapProgramLifecycleApi()
    .MapEnrolmentApi()
    .MapEnrolmentImportApi()
    .MapMatchingRequestsApi()
    .MapHistoryApi()
    .MapTemplatesApi()
    .MapPeopleApi()
    .MapPersonErasureApi()
    .MapReportsApi();
app.Run();

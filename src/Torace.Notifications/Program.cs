using Torace.Notifications;
using Torace.Notifications.Branding;
using Torace.Notifications.Deliveries;
using Torace.Notifications.Digests;
using Torace.Notifications.Email;
using Torace.Notifications.Links;
using Torace.Notifications.Templates;
using Torace.Notifications.Webhooks;
using Torace.Platform.Api;
using Torace.Platform.Messaging;
using Torace.Platform.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceApi();
var store = builder.AddToraceStore(NotificationsService.Name, NotificationsService.ConfigureStore);
builder.AddToraceMessaging<NotificationsIntegrationEvents>(NotificationsService.Name, store, NotificationsService.RegisterConsumers);
builder.AddSmtpMailer();
builder.AddActionLinks();
builder.AddDigests();
builder.AddWebhooks();

var app = builder.Build();
app.UseServiceApi();
app.MapPublicApi().MapDeliveriesApi().MapWebhooksApi().MapDigestApi().MapBrandingApi().MapEmailTemplatesApi();
app.MapDigests();
app.Run();

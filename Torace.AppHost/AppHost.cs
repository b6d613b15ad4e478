using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Torace.AppHost.Development;
using Torace.AppHost.LocalInfrastructure;
using Torace.AppHost.Recovery;

var builder = DistributedApplication.CreateBuilder(args);
var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
var state = builder.Configuration["Torace:StateDirectory"] ?? Path.Combine(repositoryRoot, ".torace");

var infrastructure = builder.AddToraceInfrastructure(repositoryRoot, state);
builder.AddCrashedResourceRestarter();
var secrets = DevelopmentSecrets.LoadOrCreate(state);

IResourceBuilder<ProjectResource> Service<TProject>(string name) where TProject : IProjectMetadata, new()
{
    var service = builder.AddProject<TProject>(name)
        .WithReference(infrastructure.Postgres).WaitFor(infrastructure.Postgres)
        .WithReference(infrastructure.RabbitMq).WaitFor(infrastructure.RabbitMq)
        .WithEnvironment("ServiceToken__SigningKey", secrets.ServiceTokenKey)
        .WithHttpHealthCheck("/health");
    // Erasure settings given to the AppHost (Erasure:*) reach every service; the tests shorten the second look.
    foreach (var setting in builder.Configuration.GetSection("Erasure").GetChildren())
    {
        service.WithEnvironment($"Erasure__{setting.Key}", setting.Value);
    }
    return service;
}

var programs = Service<Projects.Torace_Programs>("programs");
var matching = Service<Projects.Torace_Matching>("matching");
var scheduling = Service<Projects.Torace_Scheduling>("scheduling")
    .WithUrl("/hangfire", "Hangfire dashboard (sweeps)");
var notifications = Service<Projects.Torace_Notifications>("notifications")
    .WithReference(infrastructure.Mail).WaitFor(infrastructure.Mail);
// Webhook settings given to the AppHost (Notifications:Webhooks:*) reach the service; the tests shorten the waits.
foreach (var setting in builder.Configuration.GetSection("Notifications:Webhooks").GetChildren())
{
    notifications.WithEnvironment($"Webhooks__{setting.Key}", setting.Value);
}
// The daily digest's schedule (Digest:Schedule, a cron) likewise: the tests run it every few seconds.
if (builder.Configuration["Digest:Schedule"] is { Length: > 0 } digestSchedule)
{
    notifications.WithEnvironment("Digest__Schedule", digestSchedule);
}

var gateway = builder.AddProject<Projects.Torace_Gateway>("gateway")
    .WithReference(infrastructure.Postgres).WaitFor(infrastructure.Postgres)
    .WithReference(programs).WithReference(matching).WithReference(scheduling).WithReference(notifications)
    .WaitFor(programs).WaitFor(matching).WaitFor(scheduling).WaitFor(notifications)
    .WithEnvironment("ServiceToken__SigningKey", secrets.ServiceTokenKey)
    .WithEnvironment("Gateway__SecretKey", secrets.GatewayKey)
    .WithEnvironment("ParticipantLinks__SigningKey", secrets.LinkSigningKey)
    .WithEnvironment("Gateway__CoordinatorSigningKey", secrets.CoordinatorSigningKey)
    .WithHttpHealthCheck("/health");
for (var i = 0; i < secrets.Districts.Count; i++)
{
    gateway.WithEnvironment($"Gateway__Districts__{i}__Name", secrets.Districts[i].Name)
        .WithEnvironment($"Gateway__Districts__{i}__ApiKey", secrets.Districts[i].ApiKey);
}

// The admin front end reaches the system only through the gateway, as each signed-in coordinator.
var admin = builder.AddProject<Projects.Torace_Admin>("admin")
    .WithReference(infrastructure.Postgres).WaitFor(infrastructure.Postgres)
    .WithReference(gateway).WaitFor(gateway)
    .WithEnvironment("Admin__CoordinatorSigningKey", secrets.CoordinatorSigningKey)
    .WithHttpHealthCheck("/health");
for (var i = 0; i < secrets.Districts.Count; i++)
{
    admin.WithEnvironment($"Admin__Coordinators__{i}__District", secrets.Districts[i].Name)
        .WithEnvironment($"Admin__Coordinators__{i}__Email", secrets.Districts[i].Coordinator!.Email)
        .WithEnvironment($"Admin__Coordinators__{i}__Password", secrets.Districts[i].Coordinator!.Password);
}

// The participant pages: where the emails' links lead. They too reach the system only through the gateway, as the
// participant a link names; the gateway checks links and Notifications signs those it emails, with the one link key.
var participate = builder.AddProject<Projects.Torace_Participate>("participate")
    .WithReference(gateway).WaitFor(gateway)
    .WithHttpHealthCheck("/health");
notifications.WithEnvironment("ParticipantLinks__SigningKey", secrets.LinkSigningKey)
    .WithEnvironment("ParticipantLinks__PagesUrl", participate.GetEndpoint("http"));
gateway.WithEnvironment("ParticipantLinks__PagesUrl", participate.GetEndpoint("http"));

builder.Eventing.Subscribe<ResourceReadyEvent>(admin.Resource, (_, _) =>
{
    string Url(IResourceBuilder<ProjectResource> project) => project.GetEndpoint("http").Url;
    new EndpointsFile(
        Dashboard: builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0] is { } dashboard && builder.Configuration["AppHost:BrowserToken"] is { } token
            ? $"{dashboard}/login?t={token}"
            : builder.Configuration["ASPNETCORE_URLS"],
        Gateway: Url(gateway),
        Admin: Url(admin),
        Participate: Url(participate),
        Mail: infrastructure.MailWebUrl,
        RabbitmqManagement: infrastructure.RabbitMqManagementUrl,
        Hangfire: Url(scheduling) + "/hangfire",
        Metrics: new[] { programs, matching, scheduling, notifications, gateway, admin, participate }.ToDictionary(p => p.Resource.Name, p => Url(p) + "/metrics"),
        Districts: secrets.Districts).Write(state);
    return Task.CompletedTask;
});

var app = builder.Build();
var startupFailure = app.Services.GetRequiredService<StartupFailure>();
try
{
    app.Run();
}
catch (OperationCanceledException) when (startupFailure.Happened)
{
    // InfrastructureStartupGuard has said which local server could not start, and why, and stopped the start.
}
return startupFailure.Happened ? 1 : 0;

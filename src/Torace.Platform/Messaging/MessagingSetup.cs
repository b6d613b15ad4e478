using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Torace.Platform.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit on RabbitMQ (ConnectionStrings:rabbitmq, an amqp:// URI) with retries, queues named
    /// after the service, and the outbox subscription that publishes the service's stored events.
    /// </summary>
    public static IHostApplicationBuilder AddToraceMessaging<TMap>(
        this IHostApplicationBuilder builder,
        string service,
        MartenServiceCollectionExtensions.MartenConfigurationExpression store,
        Action<IBusRegistrationConfigurator> consumers)
        where TMap : class, IIntegrationEventMap
    {
        var broker = new Uri(builder.Configuration.GetConnectionString("rabbitmq")
            ?? throw new InvalidOperationException("ConnectionStrings:rabbitmq is not configured."));

        builder.Services.AddSingleton<IIntegrationEventMap, TMap>();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service + "-", includeNamespace: false));
            consumers(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var credentials = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
                var virtualHost = Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/'));
                rabbit.Host(broker.Host, (ushort)(broker.IsDefaultPort ? 5672 : broker.Port), virtualHost.Length == 0 ? "/" : virtualHost, host =>
                {
                    host.Username(credentials[0]);
                    host.Password(credentials.Length > 1 ? credentials[1] : "");
                });
                rabbit.UseMessageRetry(retry => retry.Exponential(6, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
        });

        store.AddSubscriptionWithServices<OutboxForwarder>(ServiceLifetime.Singleton, o => o.Name = OutboxForwarder.SubscriptionName);
        return builder;
    }
}

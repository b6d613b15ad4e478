using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Torace.Platform.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit on RabbitMQ (ConnectionStrings:rabbitmq, an amqp:// URI) with retries that match the fault
    /// (<see cref="TransientFaults"/>, <see cref="Redelivery{T}"/>), queues named after the service, the count of
    /// its dead-lettered messages (<see cref="DeadLetters"/>), and the outbox subscription that publishes the
    /// service's stored events.
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
        builder.Services.AddSingleton<TransientFaults>();
        builder.Services.AddSingleton(new WaitQueues(broker, service));
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeadLetters>());
        builder.Services.AddHealthChecks().AddCheck<DeadLetterCheck>("dead-letters", tags: ["ready"]);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service + "-", includeNamespace: false));
            consumers(bus);
            // Every service masks its own copy of an erased person.
            bus.AddConsumer<Erasure.ErasePerson>();
            bus.AddReceiveEndpointObserver(services => services.GetRequiredService<DeadLetters>());
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var credentials = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
                var virtualHost = Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/'));
                rabbit.Host(broker.Host, (ushort)(broker.IsDefaultPort ? 5672 : broker.Port), virtualHost.Length == 0 ? "/" : virtualHost, host =>
                {
                    host.Username(credentials[0]);
                    host.Password(credentials.Length > 1 ? credentials[1] : "");
                });
                // Outermost: a transient fault that outlasts the immediate retries waits in the broker (Redelivery).
                // Inside it: a few quick retries, for the conflicts and blips a moment fixes. A fault no retry fixes
                // skips both and is dead-lettered at once.
                var faults = context.GetRequiredService<TransientFaults>();
                rabbit.UseConsumeFilter(typeof(Redelivery<>), context);
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(faults.IsTransient);
                    retry.Intervals(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
                });
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

using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using Torace.Contracts;
using Torace.Contracts.Matching;
using Torace.Contracts.Notifications;
using Torace.Contracts.Programs;
using Torace.Contracts.Scheduling;
using Torace.Platform.Storage;

namespace Torace.Notifications.Webhooks;

/// <summary>
/// Queues a catalogued event for every enabled endpoint of its district that wants its type, in one transaction. The
/// delivery's id comes from the message and the endpoint, so a redelivered message queues nothing twice; sending is the
/// dispatcher's, so no receiver slows this consumer down.
/// </summary>
public sealed class WebhookFanOut<TMessage>(IDocumentStore store, WebhookDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider clock)
    : IConsumer<TMessage>
    where TMessage : class, IDistrictEvent
{
    public async Task Consume(ConsumeContext<TMessage> context)
    {
        if (WebhookCatalogue.From(context.Message) is not { } e)
        {
            return;
        }
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
        await using var session = store.LightweightSession(context.Message.TenantId);
        var endpoints = await session.Query<WebhookEndpoint>()
            .Where(x => x.Status == WebhookStatus.Enabled && x.EventTypes.Contains(e.Type))
            .Select(x => x.Id)
            .ToListAsync(context.CancellationToken);
        if (endpoints.Count == 0)
        {
            return;
        }
        var payload = JsonSerializer.Serialize(new WebhookPayload(e.Type, WebhookCatalogue.Type(e.Type).Version, e.OccurredAt, e.Data), JsonSerializerOptions.Web);
        WebhookQueue.Enqueue(session, [.. endpoints.Select(id => (NameBasedId.From($"webhook|{messageId:N}|{id:N}"), id))], e, payload,
            clock.GetUtcNow(), options.Value.RetryFor);
        await session.SaveChangesAsync(context.CancellationToken);
        dispatcher.Wake();
    }
}

public static class WebhookConsumers
{
    const string Queue = "notifications-webhooks";

    public static void Register(IBusRegistrationConfigurator bus)
    {
        Add<ParticipantEnrolled>(bus);
        Add<ParticipantWithdrawn>(bus);
        Add<MatchProposed>(bus);
        Add<MatchDeclined>(bus);
        Add<EngagementCompleted>(bus);
        Add<EngagementEnded>(bus);
        Add<TouchpointMissed>(bus);
        Add<NotificationFailed>(bus);
        Add<WebhookEndpointDisabled>(bus);
    }

    static void Add<TMessage>(IBusRegistrationConfigurator bus) where TMessage : class, IDistrictEvent =>
        bus.AddConsumer<WebhookFanOut<TMessage>>().Endpoint(e => e.Name = Queue);
}

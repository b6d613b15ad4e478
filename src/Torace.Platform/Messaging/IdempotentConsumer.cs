using Marten;
using MassTransit;
using Torace.Contracts;
using Torace.Platform.Storage;

namespace Torace.Platform.Messaging;

/// <summary>
/// The inbox: a consumer whose effect and the record that it handled the message commit in one Marten
/// transaction for the message's district. A redelivery or a replay finds the record and changes nothing;
/// two deliveries racing each other collide on the record's key and the loser is retried into a no-op.
/// </summary>
public abstract class IdempotentConsumer<TMessage>(IDocumentStore store) : IConsumer<TMessage>
    where TMessage : class, IDistrictEvent
{
    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
        var key = $"{GetType().Name}/{messageId:N}";
        IsLastTry = RedeliverySchedule.IsLastTry(WaitQueues.RedeliveriesOf(context.ReceiveContext));

        await using var session = store.OpenTenantSession(context.Message.TenantId);
        if (await session.LoadAsync<HandledMessage>(key, context.CancellationToken) is not null)
        {
            return;
        }

        await Handle(context.Message, messageId, session, context.CancellationToken);
        session.Insert(new HandledMessage(key, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync(context.CancellationToken);
        await AfterCommit(context.Message, context.CancellationToken);
    }

    /// <summary>
    /// Whether this is the message's last redelivery (<see cref="RedeliverySchedule"/>): a consumer that can record a lasting
    /// fault as an outcome of its own (an email that could not be sent) does so now rather than let it be dead-lettered.
    /// </summary>
    protected bool IsLastTry { get; private set; }

    /// <summary>Work that must see the committed effect (kicking a job that reads it); skipped for repeats.</summary>
    protected virtual Task AfterCommit(TMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stage the effect in <paramref name="session"/>; the base class commits it with the inbox record.</summary>
    protected abstract Task Handle(TMessage message, Guid messageId, IDocumentSession session, CancellationToken cancellationToken);
}

using RabbitMQ.Client;

namespace Torace.Platform.Messaging;

/// <summary>A plain RabbitMQ connection to the service's broker, for what MassTransit does not do: wait queues, dead-letter counts.</summary>
public static class BrokerConnections
{
    public static ConnectionFactory Factory(Uri broker, string clientName)
    {
        var credentials = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
        return new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.IsDefaultPort ? 5672 : broker.Port,
            UserName = credentials[0],
            Password = credentials.Length > 1 ? credentials[1] : "",
            VirtualHost = Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/')) is { Length: > 0 } vhost ? vhost : "/",
            ClientProvidedName = clientName,
        };
    }
}

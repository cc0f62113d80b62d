using System.Text.Json;
using RabbitMQ.Client;

namespace Portal.Testing;

/// <summary>
/// Publishes an event the way another program could: a MassTransit envelope sent straight to the
/// event's exchange with a plain AMQP client, as the account of <paramref name="amqpUrl"/>.
/// </summary>
public static class RawPublisher
{
    /// <param name="claimUserId">Sets the AMQP <c>user-id</c> to the connection's account (RabbitMQ refuses any other).</param>
    /// <exception cref="RabbitMQ.Client.Exceptions.OperationInterruptedException">The broker refused the publish.</exception>
    public static async Task PublishAsync<T>(string amqpUrl, T message, bool claimUserId = true) where T : class
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var messageId = Guid.NewGuid();
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId,
            messageType = new[] { $"urn:message:{typeof(T).Namespace}:{typeof(T).Name}" },
            message,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var properties = new BasicProperties
        {
            MessageId = messageId.ToString(),
            ContentType = "application/vnd.masstransit+json",
            DeliveryMode = DeliveryModes.Persistent,
            UserId = claimUserId ? factory.UserName : null,
        };
        await channel.BasicPublishAsync($"{typeof(T).Namespace}:{typeof(T).Name}", "", mandatory: false, properties, body);
    }
}

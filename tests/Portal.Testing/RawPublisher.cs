using System.Text.Json;
using RabbitMQ.Client;

namespace Portal.Testing;

/// <summary>
/// Publishes an event the way another program could: a MassTransit envelope sent straight to the
/// event's exchange (<c>Portal.Contracts:&lt;name&gt;</c>) with a plain AMQP client, as the account of the URL.
/// </summary>
public static class RawPublisher
{
    public static Task PublishAsync<T>(string amqpUrl, T message, bool claimUserId = true) where T : class =>
        PublishAsync(amqpUrl, typeof(T).Name, message, Guid.NewGuid(), claimUserId);

    /// <param name="messageId">The envelope's id: the same id twice is a redelivery.</param>
    /// <param name="claimUserId">Sets the AMQP <c>user-id</c> to the connection's account (RabbitMQ refuses any
    /// other).</param>
    /// <exception cref="RabbitMQ.Client.Exceptions.OperationInterruptedException">The broker refused the
    /// publish.</exception>
    public static async Task PublishAsync(
        string amqpUrl, string eventName, object message, Guid messageId, bool claimUserId = true, int times = 1)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId,
            messageType = new[] { $"urn:message:Portal.Contracts:{eventName}" },
            message,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var properties = new BasicProperties
        {
            MessageId = messageId.ToString(),
            ContentType = "application/vnd.masstransit+json",
            DeliveryMode = DeliveryModes.Persistent,
            UserId = claimUserId ? factory.UserName : null,
        };
        for (var i = 0; i < times; i++)
            await channel.BasicPublishAsync($"Portal.Contracts:{eventName}", "", mandatory: false, properties, body);
    }
}

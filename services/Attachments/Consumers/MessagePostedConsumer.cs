using MassTransit;
using Npgsql;
using Portal.Attachments.Data;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Attachments.Consumers;

/// <summary>The backstop of the synchronous bind: a posted message's files become its thread's.</summary>
public sealed class MessagePostedConsumer(NpgsqlDataSource dataSource)
    : InboxConsumer<MessagePosted>(dataSource, "MessagePostedConsumer")
{
    protected override bool Concerns(MessagePosted posted) => posted.AttachmentIds.Count > 0;

    protected override Task HandleAsync(NpgsqlTransaction transaction, MessagePosted posted, CancellationToken ct) =>
        AttachmentStore.BindToMessageAsync(
            transaction, posted.TicketId, posted.MessageId, posted.Author.UserId, posted.AttachmentIds, ct);
}

/// <summary>
/// Only messages with files reach the queue: the broker keeps the others from it (most messages have none).
/// </summary>
public sealed class MessagePostedConsumerDefinition : ConsumerDefinition<MessagePostedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<MessagePostedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.SubscribeWhere<MessagePosted>(RoutingHeaders.WithFiles, RoutingHeaders.Yes);
}

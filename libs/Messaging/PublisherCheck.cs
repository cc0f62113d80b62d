using MassTransit;
using Microsoft.Extensions.Logging;
using Portal.Contracts;

namespace Portal.Messaging;

/// <summary>
/// Accepts an event only from the service that owns it: the AMQP <c>user-id</c> of the delivery,
/// which RabbitMQ checks against the publishing connection's account, must be the owner's
/// (<see cref="PublishedByAttribute"/>). The broker's permissions already keep other accounts from
/// publishing; this keeps a mistake there from reaching the data. Anything else is logged and left
/// unconsumed, so the broker dead-letters it (<c>&lt;service&gt;-dead-letters</c>) for operators to see.
/// It checks each delivery as it arrives, before a batch consumer gathers it with others: one refused event
/// never takes the others of its batch down with it.
/// </summary>
public sealed partial class PublisherCheck(ILogger<PublisherCheck> logger) : IFilter<ConsumeContext>
{
    // Portal's events by the message type their envelope names.
    private static readonly Dictionary<string, Type> Events = typeof(IPortalEvent).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IPortalEvent).IsAssignableFrom(type))
        .ToDictionary(MessageUrn.ForTypeString, type => type);

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var @event = context.SupportedMessageTypes.Select(Events.GetValueOrDefault).FirstOrDefault(t => t is not null);
        var owner = @event is null ? null : Publishers.OwnerOf(@event);
        var publisher = context.ReceiveContext.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit)
            ? rabbit.Properties.UserId
            : null;
        if (owner is null || publisher != owner)
        {
            LogRefused(@event?.Name ?? string.Join(' ', context.SupportedMessageTypes), publisher ?? "(none)",
                owner ?? "(none)");
            return;
        }
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("publisherCheck");

    [LoggerMessage(LogLevel.Warning, "Ignored a {Event} published by '{Publisher}': only '{Owner}' publishes it")]
    private partial void LogRefused(string @event, string publisher, string owner);
}

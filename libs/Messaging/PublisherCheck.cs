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
/// </summary>
public sealed partial class PublisherCheck<T>(ILogger<PublisherCheck<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    private static readonly string? Owner = Publishers.OwnerOf(typeof(T));

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var publisher = context.ReceiveContext.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit)
            ? rabbit.Properties.UserId
            : null;
        if (Owner is null || publisher != Owner)
        {
            LogRefused(typeof(T).Name, publisher ?? "(none)", Owner ?? "(none)");
            return;
        }
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("publisherCheck");

    [LoggerMessage(LogLevel.Warning, "Ignored a {Event} published by '{Publisher}': only '{Owner}' publishes it")]
    private partial void LogRefused(string @event, string publisher, string owner);
}

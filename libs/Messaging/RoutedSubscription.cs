using MassTransit;
using Portal.Contracts;
using RabbitMQ.Client;

namespace Portal.Messaging;

/// <summary>A receive endpoint that is sent an event only when the event carries a routing header.</summary>
public static class RoutedSubscription
{
    /// <summary>
    /// The broker sends the endpoint <typeparamref name="TEvent"/> only when its <paramref name="header"/> is
    /// <paramref name="value"/> (<see cref="RoutingHeaders"/>): the event's fanout exchange is bound to a headers
    /// exchange of the endpoint's own (<c>{queue}-{header}</c>), bound in turn to the endpoint's exchange on that
    /// header. The binding of the event's exchange straight to the endpoint's, which MassTransit made before (and
    /// never removes), is removed on every connection: while it stands, every event still comes.
    /// </summary>
    public static void SubscribeWhere<TEvent>(this IReceiveEndpointConfigurator endpoint, string header, string value)
        where TEvent : class
    {
        var rabbit = (IRabbitMqReceiveEndpointConfigurator)endpoint;
        var queue = endpoint.InputAddress.AbsolutePath.Split('/')[^1];
        var events = ExchangeOf<TEvent>();
        endpoint.ConfigureConsumeTopology = false;
        rabbit.Bind($"{queue}-{header}", filter =>
        {
            filter.ExchangeType = ExchangeType.Headers;
            filter.SetBindingArgument("x-match", "all");
            filter.SetBindingArgument(header, value);
            filter.Bind(events, source => source.ExchangeType = ExchangeType.Fanout);
        });
        rabbit.ConfigureChannel(channel => channel.UseExecuteAsync(async context =>
        {
            // Both exchanges as MassTransit declares them, so that the unbinding finds them on a new broker too.
            await context.Channel.ExchangeDeclareAsync(events, ExchangeType.Fanout, durable: true);
            await context.Channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true);
            await context.Channel.ExchangeUnbindAsync(destination: queue, source: events, routingKey: "");
        }));
    }

    /// <summary>MassTransit's name for the exchange of a message type.</summary>
    public static string ExchangeOf<TEvent>() => $"{typeof(TEvent).Namespace}:{typeof(TEvent).Name}";
}

namespace Portal.Contracts;

/// <summary>
/// The Portal services that publish events, by the broker account each publishes with: RabbitMQ
/// lets an account publish only the events it owns, and consumers accept an event only from its owner.
/// </summary>
public static class Publishers
{
    public const string Access = "access";
    public const string Tickets = "tickets";

    /// <summary>
    /// The service that owns (alone publishes) an event, from its <see cref="PublishedByAttribute"/>.
    /// </summary>
    public static string? OwnerOf(Type eventType) =>
        (Attribute.GetCustomAttribute(eventType, typeof(PublishedByAttribute)) as PublishedByAttribute)?.Service;
}

/// <summary>The one service that publishes this event (<see cref="Publishers"/>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublishedByAttribute(string service) : Attribute
{
    public string Service { get; } = service;
}

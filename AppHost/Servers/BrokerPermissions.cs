using Portal.Contracts;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// What one broker account may do, as RabbitMQ's three regular expressions. A service uses only
/// queues (and their exchanges) named after itself, publishes only the events it owns
/// (<see cref="PublishedByAttribute"/>), and reads only the events it consumes. MassTransit declares
/// the exchange of every event it publishes or consumes, hence "configure" on those exchanges.
/// </summary>
public sealed record BrokerPermissions(string Configure, string Write, string Read)
{
    private static readonly Type[] Events = typeof(IPortalEvent).Assembly.GetTypes()
        .Where(t => t.IsClass && typeof(IPortalEvent).IsAssignableFrom(t)).ToArray();

    /// <param name="account">The service's name: its account, and the prefix of its queues.</param>
    /// <param name="consumes">The events it consumes; every process also hears <see cref="TokensRevoked"/>.</param>
    public static BrokerPermissions For(string account, IEnumerable<Type> consumes)
    {
        var owned = Events.Where(e => Publishers.OwnerOf(e) == account).Select(e => e.Name).ToList();
        var consumed = consumes.Append(typeof(TokensRevoked)).Select(e => e.Name).Distinct().ToList();
        var own = $"{account}-.*";
        return new BrokerPermissions(
            Configure: Pattern(own, owned.Union(consumed)),
            Write: Pattern(own, owned),
            Read: Pattern(own, consumed));
    }

    // "[.]" rather than "\." keeps the expressions free of backslashes on their way through the shell and JSON.
    private static string Pattern(string own, IEnumerable<string> events)
    {
        var names = events.Order().ToList();
        return names.Count == 0 ? $"^{own}$" : $"^({own}|Portal[.]Contracts:({string.Join('|', names)}))$";
    }
}

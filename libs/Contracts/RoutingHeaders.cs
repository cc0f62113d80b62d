namespace Portal.Contracts;

/// <summary>
/// AMQP headers an event is published with for the broker to route on. The event's exchange stays a fanout exchange
/// that every consumer may bind; a consumer that needs only some of the events binds through a headers exchange of its
/// own, and the broker never sends it the others.
/// </summary>
public static class RoutingHeaders
{
    /// <summary>On a <see cref="MessagePosted"/> with files, <see cref="Yes"/>: Attachments hears only those.</summary>
    public const string WithFiles = "portal-with-files";

    public const string Yes = "yes";

    public static IEnumerable<(string Name, string Value)> Of(object message) => message switch
    {
        MessagePosted { AttachmentIds.Count: > 0 } => [(WithFiles, Yes)],
        _ => [],
    };
}

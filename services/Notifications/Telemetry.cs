using System.Diagnostics;

namespace Portal.Notifications;

/// <summary>
/// This service's own spans (the live push, the e-mail send), each in the trace of the event it
/// came from; the source bears the application's name, which the service defaults record.
/// </summary>
internal static class Telemetry
{
    public static readonly ActivitySource Source = new(typeof(Telemetry).Assembly.GetName().Name!);
}

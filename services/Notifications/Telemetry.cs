using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portal.Notifications;

/// <summary>
/// This service's own spans (the live push, the e-mail send), each in the trace of the event it
/// came from; the source bears the application's name, which the service defaults record. And what
/// it measures: how long after its event a notification reaches a live stream, and e-mails.
/// </summary>
internal static class Telemetry
{
    public static readonly ActivitySource Source = new(typeof(Telemetry).Assembly.GetName().Name!);

    private static readonly Meter Meter = new("Portal.Notifications");

    public static readonly Histogram<double> DeliveryDuration = Meter.CreateHistogram<double>(
        "portal.notification.delivery.duration", "s",
        "From the event (its occurredAt) to its notification written to a live stream.",
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
        });

    public static readonly Counter<long> EmailsSent = Meter.CreateCounter<long>(
        "portal.emails.sent", "{email}", "E-mails accepted by the SMTP server.");

    public static readonly Counter<long> EmailsFailed = Meter.CreateCounter<long>(
        "portal.emails.failed", "{attempt}", "Attempts to send an e-mail that failed (each is tried again later).");
}

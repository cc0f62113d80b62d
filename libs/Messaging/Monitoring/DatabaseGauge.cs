namespace Portal.Messaging.Monitoring;

/// <summary>
/// A figure read from the service's own database at each sample (one number, from <see cref="Sql"/>),
/// published as an OpenTelemetry gauge named <see cref="Name"/> and read by the health check.
/// </summary>
public sealed record DatabaseGauge(string Name, string Unit, string Description, string Sql);

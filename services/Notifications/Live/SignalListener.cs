using System.Text.Json;
using Npgsql;
using Portal.Database;
using Portal.Notifications.Data;

namespace Portal.Notifications.Live;

/// <summary>
/// LISTENs to the database's notification channel, so that a notification written by any instance
/// reaches the live streams held by this one (carried by its signal), and to the channel that closes a person's oldest
/// stream when they open one too many. After a lost connection every stream looks again.
/// </summary>
public sealed partial class SignalListener(
    NpgsqlDataSource dataSource,
    NotificationSignals signals,
    ILogger<SignalListener> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using (Unrecorded.Begin("signal listener"))
        {
            return dataSource.ListenAsync([NotificationStore.Channel, LiveStreamRegistry.ClosedChannel],
                e => Dispatch(e.Channel, e.Payload),
                listening: signals.SignalAll,
                failed: LogListenFailed,
                retryDelay: TimeSpan.FromSeconds(1),
                stoppingToken);
        }
    }

    private void Dispatch(string channel, string payload)
    {
        if (channel == NotificationStore.Channel && payload.StartsWith('{'))
        {
            try
            {
                var notification = JsonSerializer.Deserialize<SignalPayload>(payload, JsonSerializerOptions.Web)!;
                signals.Deliver(notification.UserId, notification.ToRow());
            }
            catch (JsonException ex)
            {
                // Whoever it was for reads what is new instead.
                LogUnreadablePayload(ex);
                signals.SignalAll();
            }
        }
        else if (Guid.TryParse(payload, out var id))
        {
            if (channel == LiveStreamRegistry.ClosedChannel)
                signals.Close(id);
            else
                signals.Signal(id);
        }
    }

    [LoggerMessage(LogLevel.Warning, "A notification's signal could not be read; every live stream reads again")]
    private partial void LogUnreadablePayload(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Listening for notifications failed; listening again")]
    private partial void LogListenFailed(Exception exception);
}

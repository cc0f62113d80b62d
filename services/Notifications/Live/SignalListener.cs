using System.Text.Json;
using Dapper;
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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                try
                {
                    connection.Notification += (_, e) => Dispatch(e.Channel, e.Payload);
                    await connection.ExecuteAsync(new CommandDefinition(
                        $"listen {NotificationStore.Channel}; listen {LiveStreamRegistry.ClosedChannel}",
                        cancellationToken: stoppingToken));
                    signals.SignalAll();
                    while (true)
                        await connection.WaitAsync(stoppingToken);
                }
                finally
                {
                    await connection.StopListeningAsync();
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
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

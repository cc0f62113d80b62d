using Dapper;
using Npgsql;
using Portal.Notifications.Data;

namespace Portal.Notifications.Live;

/// <summary>
/// LISTENs to the database's notification channel, so that a notification written by any instance
/// reaches the live streams held by this one, and to the channel that closes a person's oldest
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
                connection.Notification += (_, e) =>
                {
                    if (!Guid.TryParse(e.Payload, out var id))
                        return;
                    if (e.Channel == LiveStreamRegistry.ClosedChannel)
                        signals.Close(id);
                    else
                        signals.Signal(id);
                };
                await connection.ExecuteAsync(new CommandDefinition(
                    $"listen {NotificationStore.Channel}; listen {LiveStreamRegistry.ClosedChannel}",
                    cancellationToken: stoppingToken));
                signals.SignalAll();
                while (true)
                    await connection.WaitAsync(stoppingToken);
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

    [LoggerMessage(LogLevel.Warning, "Listening for notifications failed; listening again")]
    private partial void LogListenFailed(Exception exception);
}

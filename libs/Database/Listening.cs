using Dapper;
using Npgsql;

namespace Portal.Database;

public static class Listening
{
    /// <summary>
    /// LISTENs to <paramref name="channels"/> on a connection of its own until <paramref name="stoppingToken"/>
    /// fires, handing each NOTIFY to <paramref name="notified"/>. A NOTIFY sent while no connection listens is lost,
    /// so <paramref name="listening"/> runs each time listening starts, first or again: the moment to look for what
    /// was missed. A lost connection is reported to <paramref name="failed"/> and opened again after
    /// <paramref name="retryDelay"/>. Started inside an unrecorded trace, the listener records nothing, connecting
    /// again included.
    /// </summary>
    public static async Task ListenAsync(
        this NpgsqlDataSource dataSource,
        IReadOnlyCollection<string> channels,
        Action<NpgsqlNotificationEventArgs> notified,
        Action listening,
        Action<Exception> failed,
        TimeSpan retryDelay,
        CancellationToken stoppingToken)
    {
        var listen = string.Join("; ", channels.Select(channel => $"listen {channel}"));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                try
                {
                    connection.Notification += (_, e) => notified(e);
                    await connection.ExecuteAsync(new CommandDefinition(listen, cancellationToken: stoppingToken));
                    listening();
                    while (true)
                        await connection.WaitAsync(stoppingToken);
                }
                finally
                {
                    await connection.StopListeningAsync();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failed(ex);
                await Task.Delay(retryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Stops the connection's LISTENs before it goes back to the pool, which does not reset connections (a reset
    /// was six statements at every use). A broken connection is not pooled again, so failing here is fine.
    /// </summary>
    private static async Task StopListeningAsync(this NpgsqlConnection connection)
    {
        try
        {
            await connection.ExecuteAsync("unlisten *");
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // Broken: dropped rather than pooled.
        }
    }
}

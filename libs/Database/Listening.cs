using Dapper;
using Npgsql;

namespace Portal.Database;

public static class Listening
{
    /// <summary>
    /// Stops the connection's LISTENs before it goes back to the pool, which does not reset connections (a reset
    /// was six statements at every use). A broken connection is not pooled again, so failing here is fine.
    /// </summary>
    public static async Task StopListeningAsync(this NpgsqlConnection connection)
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

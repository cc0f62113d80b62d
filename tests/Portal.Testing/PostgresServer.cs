using Npgsql;
using Portal.AppHost;

namespace Portal.Testing;

/// <summary>An empty PostgreSQL server of its own, in a temporary folder, on a free port.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Password = "portal-test";
    private readonly ServerProcess _process;
    private readonly string _dataDirectory;

    private PostgresServer(ServerProcess process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        _dataDirectory = dataDirectory;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database={database}";

    public static async Task<PostgresServer> StartAsync(params string[] databases)
    {
        var port = FreePort.Next();
        var data = Path.Combine(Path.GetTempPath(), "portal-test", "pg-" + Guid.NewGuid().ToString("N")[..8]);
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={Password};"
            + $"Database={databases.LastOrDefault() ?? "postgres"};Pooling=false";
        var process = await ServerProcess.StartAsync("postgres.sh", new Dictionary<string, string>
        {
            ["PG_PORT"] = port.ToString(),
            ["PG_DATA"] = data,
            ["PG_PASSWORD"] = Password,
            ["PG_FSYNC"] = "off",
            ["PG_DATABASES"] = string.Join(' ', databases),
        }, async ct =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            return true;
        }, TimeSpan.FromSeconds(60));
        return new PostgresServer(process, port, data);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _process.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

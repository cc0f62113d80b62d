using System.Net.Sockets;
using Portal.AppHost;

namespace Portal.Testing;

/// <summary>
/// A RabbitMQ node of its own, in a temporary folder, on free ports. It can be stopped and started
/// again on the same port and data, to test a broker outage.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _dataDirectory;
    private ServerProcess? _process;

    private RabbitMqServer(int port, string dataDirectory, IReadOnlyList<string> accounts)
    {
        Port = port;
        _dataDirectory = dataDirectory;
        _environment = new()
        {
            ["RABBITMQ_PORT"] = port.ToString(),
            ["RABBITMQ_MANAGEMENT_PORT"] = FreePort.Next().ToString(),
            ["RABBITMQ_DIST_PORT"] = FreePort.Next().ToString(),
            ["RABBITMQ_DATA"] = dataDirectory,
            ["RABBITMQ_USER"] = "portal",
            ["RABBITMQ_PASSWORD"] = "portal-test",
            ["RABBITMQ_ACCOUNTS"] = string.Join('\n', accounts.Select(a => $"{a} portal-test .* .* .*")),
        };
    }

    public int Port { get; }

    /// <summary>The administrator's URL.</summary>
    public string ConnectionString => $"amqp://portal:portal-test@127.0.0.1:{Port}";

    /// <summary>
    /// The URL of one of the accounts the server was started with (every permission, password "portal-test").
    /// </summary>
    public string ConnectionStringFor(string account) => $"amqp://{account}:portal-test@127.0.0.1:{Port}";

    /// <param name="accounts">Accounts besides the administrator, named as the services whose events they
    /// publish.</param>
    public static async Task<RabbitMqServer> StartAsync(params string[] accounts)
    {
        var server = new RabbitMqServer(FreePort.Next(),
            Path.Combine(Path.GetTempPath(), "portal-test", "rmq-" + Guid.NewGuid().ToString("N")[..8]), accounts);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        _process = await ServerProcess.StartAsync("rabbitmq.sh", _environment, async ct =>
        {
            // Ready once the AMQP listener accepts connections and greets with the protocol header.
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", Port, ct);
            await tcp.GetStream().WriteAsync("AMQP\0\0\x09\x01"u8.ToArray(), ct);
            var buffer = new byte[8];
            return await tcp.GetStream().ReadAsync(buffer, ct) > 0;
        }, TimeSpan.FromSeconds(90));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

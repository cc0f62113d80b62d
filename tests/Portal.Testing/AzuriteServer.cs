using Portal.AppHost;

namespace Portal.Testing;

/// <summary>
/// Azurite's blob service of its own, in a temporary folder, on a free port. It can be stopped and
/// started again on the same port and data, to test a storage outage.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    // Azurite's well-known development account.
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Dictionary<string, string> _environment;
    private readonly string _dataDirectory;
    private ServerProcess? _process;

    private AzuriteServer(int port, string dataDirectory)
    {
        Port = port;
        _dataDirectory = dataDirectory;
        _environment = new() { ["AZURITE_PORT"] = port.ToString(), ["AZURITE_DATA"] = dataDirectory };
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
            + $"BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static async Task<AzuriteServer> StartAsync()
    {
        var server = new AzuriteServer(FreePort.Next(),
            Path.Combine(Path.GetTempPath(), "portal-test", "azurite-" + Guid.NewGuid().ToString("N")[..8]));
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        _process = await ServerProcess.StartAsync("azurite.sh", _environment, async ct =>
        {
            // Any HTTP answer (an unsigned request is refused) means the blob service listens.
            using var http = new HttpClient();
            using var response = await http.GetAsync($"http://127.0.0.1:{Port}/devstoreaccount1?comp=list", ct);
            return true;
        }, TimeSpan.FromSeconds(60));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Kills the server at once: a graceful stop would wait for clients' idle connections.</summary>
    public async Task CrashAsync()
    {
        if (_process is not null)
        {
            await _process.CrashAsync();
            await _process.DisposeAsync();
        }
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

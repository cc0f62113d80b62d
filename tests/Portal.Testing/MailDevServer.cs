using System.Net.Http.Json;
using System.Text.Json;
using Portal.AppHost;

namespace Portal.Testing;

/// <summary>
/// MailDev (SMTP sink and web inbox) of its own, on free ports; it can be stopped and started again, to test an SMTP
/// outage.
/// </summary>
public sealed class MailDevServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _dataDirectory;
    private ServerProcess? _process;

    private MailDevServer(int smtpPort, int webPort, string dataDirectory)
    {
        SmtpPort = smtpPort;
        WebPort = webPort;
        _dataDirectory = dataDirectory;
        _environment = new()
        {
            ["SMTP_PORT"] = smtpPort.ToString(),
            ["MAILDEV_WEB_PORT"] = webPort.ToString(),
            ["MAILDEV_DATA"] = dataDirectory
        };
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    public string ConnectionString => $"smtp://127.0.0.1:{SmtpPort}";

    public static async Task<MailDevServer> StartAsync()
    {
        var server = new MailDevServer(FreePort.Next(), FreePort.Next(),
            Path.Combine(Path.GetTempPath(), "portal-test", "maildev-" + Guid.NewGuid().ToString("N")[..8]));
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        _process = await ServerProcess.StartAsync("maildev.sh", _environment, async ct =>
        {
            using var http = new HttpClient();
            return (await http.GetAsync($"http://127.0.0.1:{WebPort}/api/healthz", ct)).IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Every e-mail received, as MailDev's REST API gives them.</summary>
    public async Task<IReadOnlyList<JsonElement>> EmailsAsync()
    {
        using var http = new HttpClient();
        return (await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{WebPort}/api/email"))
            .EnumerateArray().ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

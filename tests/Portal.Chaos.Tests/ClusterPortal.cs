using System.Globalization;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Portal.Chaos.Tests;

/// <summary>
/// The whole system in the cluster topology (three broker nodes, two instances of every part), started once for
/// every chaos scenario; what the scenarios do to its processes.
/// </summary>
public sealed class ClusterPortal : IAsyncLifetime
{
    private PortalSystem _system = null!;

    public DistributedApplication App => _system.App;

    public async Task InitializeAsync() =>
        _system = await PortalSystem.StartAsync<Projects.AppHost>("Portal:Topology=cluster");

    public async Task DisposeAsync() => await _system.DisposeAsync();

    /// <summary>
    /// A connection of its own (no pool: a pooled one may be one a restart of PostgreSQL ended).
    /// </summary>
    public async Task<Npgsql.NpgsqlConnection> OpenDatabaseAsync(string database)
    {
        var connection = new Npgsql.NpgsqlConnection(
            new Npgsql.NpgsqlConnectionStringBuilder(await _system.ConnectionStringAsync(database)) { Pooling = false }
                .ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<HttpClient> GatewayAsAsync(string email)
    {
        var client = _system.GatewayClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        var response = await client.PostAsJsonAsync("/api/auth/token", new { email, password = Demo.Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// SIGKILL to the process of <paramref name="resource"/>, as a crash: nothing is closed gracefully.
    /// </summary>
    public void Kill(string resource)
    {
        // DCP starts a project through a host process: the part itself is its child.
        using var process = Process.GetProcessById(ChildProcess(resource, "Portal."));
        process.Kill();
    }

    /// <summary>The process of <paramref name="resource"/> (for a server, its script's).</summary>
    public int Pid(string resource) =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var current) && Pid(current) is { } pid
            ? pid
            : throw new InvalidOperationException($"'{resource}' has no process.");

    private static int? Pid(ResourceEvent e) =>
        e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
            ? Convert.ToInt32(pid, CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// SIGKILL to the Erlang VM of the broker node <paramref name="resource"/> (a child of its script): the node
    /// crashes, and its script ends with the VM's status, as a supervisor sees it.
    /// </summary>
    public void KillBrokerNode(string resource)
    {
        using var process = Process.GetProcessById(ChildProcess(resource, "beam.smp"));
        process.Kill();
    }

    /// <summary>
    /// PostgreSQL stopped as <c>pg_ctl stop -m fast</c> does (SIGINT to the server: every session ended, a
    /// checkpoint), then started again by Aspire, once its script has ended.
    /// </summary>
    public async Task RestartPostgresAsync()
    {
        var server = ChildProcess("postgres", "postgres");
        using (var signal = Process.Start("kill", ["-INT", server.ToString(CultureInfo.InvariantCulture)]))
            await signal.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await App.ResourceNotifications.WaitForResourceAsync(
            "postgres", e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
        var result = await App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync("postgres", KnownResourceCommands.StartCommand);
        Assert.True(result.Success, result.Message);
    }

    /// <summary>
    /// The process whose name starts with <paramref name="command"/> that <paramref name="resource"/>'s process
    /// started.
    /// </summary>
    private int ChildProcess(string resource, string command)
    {
        var script = Pid(resource);
        var processes = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0)
            .Where(p => p > 0)
            .Select(p => (Pid: p, Stat: ReadProc(p, "stat")))
            .Where(p => p.Stat.Length > 0)
            // "pid (comm) state ppid ...": the command may hold spaces, what follows its ')' does not.
            .ToDictionary(p => p.Pid, p => (Comm: p.Stat[(p.Stat.IndexOf('(') + 1)..p.Stat.LastIndexOf(')')],
                Parent: int.Parse(
                    p.Stat[(p.Stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture)));
        bool Descends(int pid) =>
            processes.TryGetValue(pid, out var p) && (p.Parent == script || (p.Parent > 1 && Descends(p.Parent)));
        // The oldest: PostgreSQL's server, not one of its own workers.
        return processes.Where(p => p.Value.Comm.StartsWith(command, StringComparison.Ordinal) && Descends(p.Key))
            .Min(p => p.Key);
    }

    /// <summary>
    /// Each queue of the broker, with its messages and consumers: what a scenario that failed left behind.
    /// </summary>
    public async Task<string> QueuesAsync()
    {
        var admin = new Uri((await _system.ConnectionStringAsync("rabbitmq")).Split(',')[0]);
        using var http = new HttpClient { BaseAddress = App.GetEndpoint("rabbitmq", "management") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(admin.UserInfo))));
        var queues = await http.GetFromJsonAsync<JsonElement>("/api/queues");
        return string.Join(", ", queues.EnumerateArray().Select(q => $"{q.GetProperty("name").GetString()}: "
            + $"{(q.TryGetProperty("messages", out var m) ? m.ToString() : "?")} messages, "
            + $"{(q.TryGetProperty("consumers", out var c) ? c.ToString() : "?")} consumers"));
    }

    public async Task WaitAllHealthyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        foreach (var resource in PortalSystem.Processes(App))
            await App.ResourceNotifications.WaitForResourceHealthyAsync(
                resource, WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
    }

    /// <summary>
    /// Until <paramref name="resource"/> runs again in a process other than <paramref name="pid"/>, and is healthy.
    /// </summary>
    public async Task WaitStartedAgainAsync(string resource, int pid)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await App.ResourceNotifications.WaitForResourceAsync(resource, e =>
            e.Snapshot.State?.Text == KnownResourceStates.Running
            && Pid(e) is { } now && now != pid
            && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            timeout.Token);
    }

    private static string ReadProc(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterPortal>
{
    public const string Name = "cluster";
}

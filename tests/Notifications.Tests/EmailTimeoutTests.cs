using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Notifications.Email;
using Portal.Notifications.Model;
using Xunit;

namespace Portal.Notifications.Tests;

/// <summary>The e-mail sender against a mail server that accepts the connection and then says nothing.</summary>
public sealed class EmailTimeoutTests(NotificationsDatabase database)
    : IClassFixture<NotificationsDatabase>, IAsyncLifetime
{
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private Task _accepting = Task.CompletedTask;

    private NpgsqlDataSource DataSource => database.DataSource;

    public Task InitializeAsync()
    {
        _silent.Start();
        _accepting = AcceptForeverAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _silent.Stop();
        await _accepting;
        foreach (var client in _held)
            client.Dispose();
    }

    [Fact]
    public async Task A_mail_server_that_says_nothing_costs_one_timeout_and_the_mail_is_tried_again_later()
    {
        var port = ((IPEndPoint)_silent.LocalEndpoint).Port;
        var sender = new EmailSender(DataSource,
            new ConfigurationBuilder()
                .AddInMemoryCollection([new("ConnectionStrings:smtp", $"smtp://127.0.0.1:{port}")])
                .Build(),
            Options.Create(new EmailOptions
            {
                SmtpTimeout = TimeSpan.FromSeconds(1),
                RetryDelay = TimeSpan.FromMinutes(1),
            }),
            Options.Create(new NotificationOptions()),
            TimeProvider.System, NullLogger<EmailSender>.Instance);
        await QueuedEmails.QueueAsync(DataSource, 7);

        // MailKit's own default would hold the sender for two minutes; the test gives it far less than that.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await sender.SendDueAsync(patience.Token));

        await using var db = await DataSource.OpenConnectionAsync();
        var attempt = await db.QuerySingleAsync<(bool Succeeded, string Error)>(
            "select succeeded, error from email_attempts");
        Assert.False(attempt.Succeeded);
        Assert.Equal("pending", await db.ExecuteScalarAsync<string>("select status from email_deliveries"));
        Assert.True(await db.ExecuteScalarAsync<bool>("select next_attempt_at > now() from email_deliveries"));
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (true)
                _held.Add(await _silent.AcceptTcpClientAsync());
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}

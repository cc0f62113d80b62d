using Microsoft.Extensions.Time.Testing;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Notifications.Email;
using Portal.Notifications.Model;
using Portal.Testing;
using Xunit;

namespace Portal.Notifications.Tests;

/// <summary>The e-mail sender against a real PostgreSQL and a real SMTP server that goes away and comes back.</summary>
public sealed class EmailSenderTests(NotificationsDatabase database)
    : IClassFixture<NotificationsDatabase>, IAsyncLifetime
{
    private MailDevServer _mail = null!;

    private NpgsqlDataSource DataSource => database.DataSource;

    public async Task InitializeAsync() => _mail = await MailDevServer.StartAsync();

    public Task DisposeAsync() => _mail.DisposeAsync().AsTask();

    [Fact]
    public async Task While_SMTP_is_down_mail_waits_and_goes_out_once_when_it_is_back_every_attempt_recorded()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sender = new EmailSender(DataSource,
            new ConfigurationBuilder()
                .AddInMemoryCollection([new("ConnectionStrings:smtp", _mail.ConnectionString)])
                .Build(),
            Options.Create(new EmailOptions { RetryDelay = TimeSpan.FromMinutes(1) }),
            Options.Create(new NotificationOptions()),
            clock, NullLogger<EmailSender>.Instance);
        await QueuedEmails.QueueAsync(DataSource, 42);

        await _mail.StopAsync();
        clock.Advance(TimeSpan.FromSeconds(1)); // past the queueing (the database's clock)
        Assert.Equal(1, await sender.SendDueAsync(CancellationToken.None));
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None)); // not due again yet

        await _mail.StartAgainAsync();
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None)); // a minute after the failure, not before
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await sender.SendDueAsync(CancellationToken.None));
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None));

        var received = Assert.Single(await _mail.EmailsAsync());
        Assert.Contains("n° 42", received.GetProperty("subject").GetString());
        await using var db = await DataSource.OpenConnectionAsync();
        var attempts = (await db.QueryAsync<bool>("select succeeded from email_attempts order by id")).ToList();
        Assert.Equal([false, true], attempts);
        Assert.Equal("sent", await db.ExecuteScalarAsync<string>("select status from email_deliveries"));
    }
}

using Dapper;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Notifications.Data;
using Portal.Notifications.Email;
using Portal.Notifications.Model;
using Portal.Testing;
using Xunit;

namespace Portal.Notifications.Tests;

/// <summary>
/// The e-mail sender as it runs, against a real PostgreSQL and SMTP server: it goes out when an e-mail is queued
/// and when a retry falls due, with its backstop poll an hour away.
/// </summary>
public sealed class EmailWakeTests(NotificationsDatabase database)
    : IClassFixture<NotificationsDatabase>, IAsyncLifetime
{
    // An hour ahead of the database, whose clock queues e-mails: what is queued is due at once, and a retry falls
    // due only when the test moves this clock on. No attempt meets SMTP half started.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow.AddHours(1));
    private MailDevServer _mail = null!;
    private EmailSender _sender = null!;

    private NpgsqlDataSource DataSource => database.DataSource;

    public async Task InitializeAsync()
    {
        _mail = await MailDevServer.StartAsync();
        _sender = new EmailSender(DataSource,
            new ConfigurationBuilder()
                .AddInMemoryCollection([new("ConnectionStrings:smtp", _mail.ConnectionString)])
                .Build(),
            Options.Create(new EmailOptions
            {
                PollInterval = TimeSpan.FromHours(1),
                RetryDelay = TimeSpan.FromMinutes(1),
            }),
            Options.Create(new NotificationOptions()),
            _clock, NullLogger<EmailSender>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _sender.StopAsync(CancellationToken.None);
        _sender.Dispose();
        await _mail.DisposeAsync();
    }

    [Fact]
    public async Task An_email_queued_while_the_sender_sleeps_goes_out_at_once()
    {
        // The first goes out with the sender's first pass; by then it sleeps, listening.
        await QueueAsync(101);
        await _sender.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => ReceivedAsync(101));
        await Eventually.TrueAsync(ListeningAsync);

        await QueueAsync(102);

        await Eventually.TrueAsync(() => ReceivedAsync(102));
    }

    [Fact]
    public async Task A_failed_email_goes_out_when_its_retry_falls_due()
    {
        await _sender.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(ListeningAsync);
        await _mail.StopAsync();
        var delivery = await QueueAsync(201);
        await Eventually.TrueAsync(async () => await AttemptsAsync(delivery) == 1);

        await _mail.StartAgainAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));

        // Due again a minute after the failure, on the sender's clock: nothing else wakes the sender.
        await Eventually.TrueAsync(() => ReceivedAsync(201));
    }

    private Task<Guid> QueueAsync(int number) => QueuedEmails.QueueAsync(DataSource, number);

    private async Task<bool> ReceivedAsync(int number) =>
        (await _mail.EmailsAsync()).Any(e => e.GetProperty("subject").GetString()!.Contains(
            $"n° {number}", StringComparison.Ordinal));

    private async Task<bool> ListeningAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select count(*) from pg_stat_activity where query = @listen and state = 'idle'",
            new { listen = $"listen {EmailDeliveryStore.Channel}" }) == 1;
    }

    private async Task<long> AttemptsAsync(Guid delivery)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select count(*) from email_attempts where delivery_id = @delivery", new { delivery });
    }
}

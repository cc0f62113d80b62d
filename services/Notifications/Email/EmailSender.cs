using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Database;
using Portal.Notifications.Data;
using Portal.Notifications.Model;

namespace Portal.Notifications.Email;

/// <summary>
/// Sends the queued e-mails through SMTP. Deliveries are claimed with <c>FOR UPDATE SKIP LOCKED</c>,
/// so two instances never send the same one; every attempt is recorded; a failed delivery waits
/// (doubling delays) and goes out once the server is back.
/// </summary>
public sealed partial class EmailSender(
    NpgsqlDataSource dataSource,
    IConfiguration configuration,
    IOptions<EmailOptions> options,
    IOptions<NotificationOptions> notificationOptions,
    TimeProvider clock,
    ILogger<EmailSender> logger) : BackgroundService
{
    private readonly Uri _smtp = new(configuration.GetConnectionString("smtp")
        ?? throw new InvalidOperationException("Connection string 'smtp' is missing."));

    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Woken when a transaction that queued e-mails commits, and whenever the listener connects (what was queued
        // while it was away); otherwise it sleeps until the next retry falls due, or the backstop poll.
        using (Unrecorded.Begin("e-mail listener"))
        {
            _ = dataSource.ListenAsync([EmailDeliveryStore.Channel],
                notified: _ => _wake.Release(),
                listening: () => _wake.Release(),
                failed: LogListenFailed,
                options.Value.ListenRetryDelay,
                stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            while (_wake.Wait(0))
            {
            }
            var handled = 0;
            var sleep = options.Value.PollInterval;
            try
            {
                // A pass records nothing; each e-mail sent is recorded in the trace of the event it came from.
                using (Unrecorded.Begin("e-mail poll"))
                {
                    var passStarted = clock.GetUtcNow();
                    handled = await SendDueAsync(stoppingToken);
                    if (handled == 0)
                        sleep = await SleepAsync(passStarted, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or the server failed the pass itself: try again soon, not at the backstop.
                LogSendFailed(ex);
                sleep = options.Value.RetryDelay;
            }
            if (handled == 0)
                await WaitAsync(sleep, stoppingToken);
        }
    }

    // Until woken or until the sleep is over, on the sender's clock; the wait that loses is cancelled, so a wake
    // is never consumed by a waiter nobody awaits any more.
    private async Task WaitAsync(TimeSpan sleep, CancellationToken stoppingToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var woken = _wake.WaitAsync(either.Token);
        var slept = Task.Delay(sleep, clock, either.Token);
        await Task.WhenAny(woken, slept);
        await either.CancelAsync();
        await Task.WhenAll(woken, slept).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // Until the next retry falls due, or the poll interval, whichever comes first. A retry that fell due since the
    // pass started (after its claim) is due at once.
    private async Task<TimeSpan> SleepAsync(DateTimeOffset passStarted, CancellationToken ct)
    {
        var next = await EmailDeliveryStore.NextDueAfterAsync(dataSource, passStarted, ct);
        if (next is null)
            return options.Value.PollInterval;
        var wait = next.Value - clock.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero
            : wait < options.Value.PollInterval ? wait
            : options.Value.PollInterval;
    }

    /// <summary>Sends one batch of due e-mails; the number handled, sent or not.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var due = await EmailDeliveryStore.ClaimDueAsync(transaction, clock.GetUtcNow(), options.Value.BatchSize, ct);
        if (due.Count == 0)
            return 0;

        using var client = new SmtpClient { Timeout = (int)options.Value.SmtpTimeout.TotalMilliseconds };
        Exception? connectFailure = null;
        try
        {
            await client.ConnectAsync(_smtp.Host, _smtp.Port, SecureSocketOptions.Auto, ct);
            if (!string.IsNullOrEmpty(_smtp.UserInfo))
            {
                var credentials = Uri.UnescapeDataString(_smtp.UserInfo).Split(':', 2);
                await client.AuthenticateAsync(credentials[0], credentials.ElementAtOrDefault(1) ?? "", ct);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            connectFailure = ex;
        }

        foreach (var email in due)
        {
            var failure = connectFailure;
            using (var span = Telemetry.Source.StartInStory("e-mail send", ActivityKind.Client, email.TraceParent))
            {
                if (failure is null)
                {
                    try
                    {
                        await client.SendAsync(
                            EmailComposer.Compose(email, options.Value.From, notificationOptions.Value.PortalUrl), ct);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        failure = ex;
                    }
                }
                if (failure is not null)
                    span?.SetStatus(ActivityStatusCode.Error, failure.Message);
            }
            await RecordAsync(transaction, email, failure, ct);
        }
        await transaction.CommitAsync(ct);
        await QuitAsync(client);
        return due.Count;
    }

    // Every attempt is recorded by now: a server that drops the connection before QUIT changes none of them.
    private static async Task QuitAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
                await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or MailKit.CommandException)
        {
        }
    }

    private async Task RecordAsync(
        NpgsqlTransaction transaction, DueEmail email, Exception? failure, CancellationToken ct)
    {
        if (failure is null)
        {
            Telemetry.EmailsSent.Add(1);
            await EmailDeliveryStore.RecordSentAsync(transaction, email.Id, ct);
            return;
        }
        Telemetry.EmailsFailed.Add(1);
        LogAttemptFailed(email.Id, email.Attempts + 1, failure.Message);
        var delay = TimeSpan.FromTicks(Math.Min(
            options.Value.MaxRetryDelay.Ticks, options.Value.RetryDelay.Ticks << Math.Min(email.Attempts, 20)));
        await EmailDeliveryStore.RecordFailedAsync(
            transaction, email.Id, failure.Message, clock.GetUtcNow() + delay, ct);
    }

    [LoggerMessage(LogLevel.Debug, "The e-mail sender's listener lost its connection")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Sending e-mails failed")]
    private partial void LogSendFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning,
        "E-mail {DeliveryId} not sent (attempt {Attempt}): {Reason}; it will be tried again")]
    private partial void LogAttemptFailed(Guid deliveryId, int attempt, string reason);
}

using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.AccessProjection;
using Portal.Database;
using Portal.Messaging;
using Portal.Notifications.Data;
using Portal.Notifications.Live;
using Portal.Notifications.Model;
using Portal.Testing;
using Xunit;

namespace Portal.Notifications.Tests;

/// <summary>
/// What a live stream reads, against a real PostgreSQL: numbers are taken in one order and
/// committed in another, and a stream must send every notification once, in order, all the same.
/// </summary>
public sealed class LiveOrderTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private NpgsqlDataSource _dataSource = null!;

    private static readonly PortalUser Staff = new(Guid.NewGuid(), IsStaff: true, CompanyId: null, "Nadia BENALI");

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync("notifications");
        var connectionString = _postgres.ConnectionString("notifications");
        _dataSource = NpgsqlDataSource.Create(connectionString);
        await new DatabaseMigrator(_dataSource, connectionString,
            [typeof(Outbox).Assembly, typeof(TicketAccess).Assembly, typeof(NotificationStore).Assembly],
            NullLogger<DatabaseMigrator>.Instance).StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_notification_numbered_first_but_committed_last_is_sent_and_nothing_after_it_is_skipped()
    {
        var store = new NotificationStore(_dataSource);
        var start = await store.StartAsync(CancellationToken.None);

        // The first transaction takes its number and stays open; the second takes the next and commits.
        await using var firstConnection = await _dataSource.OpenConnectionAsync();
        await using var first = await firstConnection.BeginTransactionAsync();
        var earlier = await NotifyAsync(first);
        await using (var secondConnection = await _dataSource.OpenConnectionAsync())
        await using (var second = await secondConnection.BeginTransactionAsync())
        {
            var later = await NotifyAsync(second);
            await second.CommitAsync();

            var (rows, heldBack) = await store.SinceAsync(Staff, start, 100, CancellationToken.None);
            Assert.Empty(rows);
            Assert.True(heldBack);

            await first.CommitAsync();
            (rows, heldBack) = await store.SinceAsync(Staff, start, 100, CancellationToken.None);
            Assert.Equal([earlier, later], rows.Select(r => r.TicketId));
            Assert.False(heldBack);

            // Read again from where the stream stands after the last one: nothing twice.
            var position = new LiveCursor(rows[^1].Tx, rows[^1].Seq);
            Assert.True(LiveCursor.TryParse(position.ToString(), out var resumed));
            Assert.Empty((await store.SinceAsync(Staff, resumed, 100, CancellationToken.None)).Rows);
        }
    }

    [Fact]
    public async Task A_stream_that_starts_while_a_notification_is_being_written_sends_it_once_committed()
    {
        var store = new NotificationStore(_dataSource);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var writing = await connection.BeginTransactionAsync();
        var ticket = await NotifyAsync(writing);

        var start = await store.StartAsync(CancellationToken.None);
        await writing.CommitAsync();

        Assert.Equal([ticket], (await store.SinceAsync(Staff, start, 100, CancellationToken.None)).Rows.Select(r => r.TicketId));
    }

    [Fact]
    public void An_event_id_from_before_transaction_order_reads_as_a_number()
    {
        Assert.True(LiveCursor.TryParse("0", out var everything));
        Assert.Equal(new LiveCursor(-1, 0), everything);
        Assert.False(LiveCursor.TryParse("-1", out _));
        Assert.False(LiveCursor.TryParse("12-x", out _));
        Assert.False(LiveCursor.TryParse("", out _));
    }

    /// <summary>A staff notification about a thread of its own, written in <paramref name="transaction"/>; its thread's id.</summary>
    private async Task<Guid> NotifyAsync(NpgsqlTransaction transaction)
    {
        var ticket = Guid.NewGuid();
        var thread = new ThreadAudience(ticket, 7, "Facturation", Guid.NewGuid(), "company", [], Guid.NewGuid());
        await NotificationStore.NotifyAsync(transaction, Guid.NewGuid(), DateTimeOffset.UtcNow, "message_posted", thread,
            [new DirectoryEntry(Staff.UserId, "nadia@pole.example", Staff.DisplayName, "staff", null)], TimeSpan.Zero,
            CancellationToken.None);
        return ticket;
    }
}

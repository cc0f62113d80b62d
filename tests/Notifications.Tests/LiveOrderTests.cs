using Npgsql;
using Portal.Notifications.Data;
using Portal.Notifications.Model;
using Portal.Testing;
using Xunit;

namespace Portal.Notifications.Tests;

/// <summary>
/// What a live stream reads, against a real PostgreSQL: it sends what follows the last number it
/// sent, so a person's notifications must commit in the order of their numbers.
/// </summary>
public sealed class LiveOrderTests(NotificationsDatabase database) : IClassFixture<NotificationsDatabase>
{
    private static readonly PortalUser Staff = new(Guid.NewGuid(), IsStaff: true, CompanyId: null, "Nadia BENALI");

    private NpgsqlDataSource DataSource => database.DataSource;

    [Fact]
    public async Task A_second_writer_for_the_same_person_waits_for_the_first_to_commit_so_numbers_commit_in_order()
    {
        var store = new NotificationStore(DataSource);
        var start = await store.LatestSeqAsync(Staff.UserId, CancellationToken.None);

        // The first writer takes its number and stays open.
        await using var firstConnection = await DataSource.OpenConnectionAsync();
        await using var first = await firstConnection.BeginTransactionAsync();
        var earlier = await NotifyAsync(first);

        // The second waits for the first's turn to end before it takes a number.
        await using var secondConnection = await DataSource.OpenConnectionAsync();
        await using var second = await secondConnection.BeginTransactionAsync();
        var writing = NotifyAsync(second);
        await Eventually.TrueAsync(async () => await WaitsForALockAsync(secondConnection.ProcessID));
        Assert.False(writing.IsCompleted);
        Assert.Empty(await store.SinceAsync(Staff, start, 100, CancellationToken.None));

        await first.CommitAsync();
        var later = await writing;
        var sent = await store.SinceAsync(Staff, start, 100, CancellationToken.None);
        Assert.Equal([earlier], sent.Select(r => r.TicketId));

        // What a stream reads next, from the last number it sent, is the second: nothing skipped.
        await second.CommitAsync();
        Assert.Equal([later],
            (await store.SinceAsync(Staff, sent[^1].Seq, 100, CancellationToken.None)).Select(r => r.TicketId));
    }

    [Fact]
    public async Task Writers_for_different_people_do_not_wait_for_each_other()
    {
        await using var firstConnection = await DataSource.OpenConnectionAsync();
        await using var first = await firstConnection.BeginTransactionAsync();
        await NotifyAsync(first);

        await using var secondConnection = await DataSource.OpenConnectionAsync();
        await using var second = await secondConnection.BeginTransactionAsync();
        await NotifyAsync(second, new PortalUser(Guid.NewGuid(), IsStaff: true, CompanyId: null, "Thomas ROUX"))
            .WaitAsync(TimeSpan.FromSeconds(10));
        await second.CommitAsync();
        await first.CommitAsync();
    }

    private async Task<bool> WaitsForALockAsync(int pid)
    {
        await using var command = DataSource.CreateCommand(
            "select wait_event_type = 'Lock' and wait_event = 'advisory' from pg_stat_activity where pid = $1");
        command.Parameters.Add(new() { Value = pid });
        return await command.ExecuteScalarAsync() is true;
    }

    /// <summary>
    /// A notification for <paramref name="to"/> (Nadia) about a thread of its own, written in
    /// <paramref name="transaction"/>; its thread's id.
    /// </summary>
    private static async Task<Guid> NotifyAsync(NpgsqlTransaction transaction, PortalUser? to = null)
    {
        to ??= Staff;
        var ticket = Guid.NewGuid();
        var thread = new ThreadAudience(ticket, 7, "Facturation", Guid.NewGuid(), "company", [], Guid.NewGuid());
        await NotificationStore.NotifyAsync(transaction,
            [new Notice(Guid.NewGuid(), DateTimeOffset.UtcNow, "message_posted", thread,
                [new DirectoryEntry(to.UserId, "agent@pole.example", to.DisplayName, "staff", null)])],
            TimeSpan.Zero, CancellationToken.None);
        return ticket;
    }
}

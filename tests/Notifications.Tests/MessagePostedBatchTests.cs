using Dapper;
using Microsoft.Extensions.Options;
using Portal.AccessProjection;
using Portal.Contracts;
using Portal.Notifications.Consumers;
using Portal.Notifications.Data;
using Portal.Notifications.Model;
using Xunit;

namespace Portal.Notifications.Tests;

/// <summary>
/// Messages are told in batches: each message of a batch notifies its own recipients, a batch delivered again
/// changes nothing, and a message whose thread is not known yet holds back none of the others.
/// </summary>
public sealed class MessagePostedBatchTests(NotificationsDatabase database) : IClassFixture<NotificationsDatabase>
{
    private static readonly Guid Company = Guid.NewGuid();
    private static readonly Guid Camille = Guid.NewGuid();
    private static readonly Guid Marc = Guid.NewGuid();
    private static readonly Guid Nadia = Guid.NewGuid();
    private static readonly Guid Thomas = Guid.NewGuid();

    private readonly MessagePostedConsumer _consumer = new(database.DataSource,
        Options.Create(new NotificationOptions()));

    [Fact]
    public async Task Each_message_of_a_batch_tells_its_recipients_once_even_when_the_batch_comes_again()
    {
        await KnowPeopleAsync();
        var (first, second) = (await KnowThreadAsync(), await KnowThreadAsync());
        MessagePostedConsumer.Delivery[] batch =
        [
            Posted(first, Nadia, Sides.Staff), Posted(second, Camille, Sides.Member), Posted(first, Marc, Sides.Member),
        ];

        await _consumer.HandleAsync(batch, CancellationToken.None);
        await _consumer.HandleAsync(batch, CancellationToken.None);

        // Staff wrote on the first thread: its members are told; members wrote: every staff user but no member.
        Assert.Equal(
            [(Camille, first), (Marc, first), (Nadia, first), (Nadia, second), (Thomas, first), (Thomas, second)],
            await ToldAsync(first, second));
    }

    [Fact]
    public async Task A_message_whose_thread_is_not_known_yet_fails_alone_and_is_told_once_its_thread_is()
    {
        await KnowPeopleAsync();
        var known = await KnowThreadAsync();
        var coming = Guid.NewGuid();
        MessagePostedConsumer.Delivery[] batch =
            [Posted(coming, Nadia, Sides.Staff), Posted(known, Nadia, Sides.Staff)];

        await Assert.ThrowsAsync<ThreadNotKnownYetException>(
            () => _consumer.HandleAsync(batch, CancellationToken.None));
        Assert.Equal([(Camille, known), (Marc, known)], await ToldAsync(known, coming));

        // Its TicketOpened arrives; the batch, delivered again, tells only what was missing.
        await KnowThreadAsync(coming);
        await _consumer.HandleAsync(batch, CancellationToken.None);
        Assert.Equal([(Camille, coming), (Camille, known), (Marc, coming), (Marc, known)],
            await ToldAsync(coming, known));
    }

    private static MessagePostedConsumer.Delivery Posted(Guid ticketId, Guid author, string side) =>
        new(Guid.NewGuid(), new MessagePosted(Guid.NewGuid(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(), Company,
            new Actor(author, side), false, []));

    private async Task KnowPeopleAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (id, role, company) in new[]
        {
            (Camille, "member", (Guid?)Company), (Marc, "member", Company), (Nadia, "staff", null),
            (Thomas, "staff", null),
        })
            await NotificationStore.UpsertUserAsync(transaction, new DirectoryUserChanged(Guid.NewGuid(),
                DateTimeOffset.UtcNow, id, $"{id:N}@example.org", id.ToString("N")[..6], role, company), default);
        await transaction.CommitAsync();
    }

    private async Task<Guid> KnowThreadAsync(Guid? id = null)
    {
        var ticketId = id ?? Guid.NewGuid();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await NotificationStore.AddThreadAsync(transaction, new TicketOpened(Guid.NewGuid(), DateTimeOffset.UtcNow,
            ticketId, 42, Company, "autre", new Actor(Camille, Sides.Member),
            new Visibility(VisibilityModes.Company, [])), default);
        await TicketAccess.ApplyAsync(transaction, new TicketAccessChanged(Guid.NewGuid(), DateTimeOffset.UtcNow,
            ticketId, Company, VisibilityModes.Company, [], 1, Camille), default);
        await transaction.CommitAsync();
        return ticketId;
    }

    /// <summary>Who was told about which of these threads, once per notification, in a stable order.</summary>
    private async Task<List<(Guid UserId, Guid TicketId)>> ToldAsync(params Guid[] ticketIds)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var order = new[] { Camille, Marc, Nadia, Thomas };
        return (await connection.QueryAsync<(Guid, Guid)>(
                "select user_id, ticket_id from notifications where ticket_id = any(@ticketIds)", new { ticketIds }))
            .OrderBy(t => Array.IndexOf(order, t.Item1)).ThenBy(t => Array.IndexOf(ticketIds, t.Item2)).ToList();
    }
}

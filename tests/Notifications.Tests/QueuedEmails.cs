using Dapper;
using Npgsql;
using Portal.Notifications.Data;
using Portal.Notifications.Model;

namespace Portal.Notifications.Tests;

/// <summary>E-mails queued as a posted message queues them, for the sender's tests.</summary>
public static class QueuedEmails
{
    /// <summary>
    /// Queues the e-mail of a message in thread n° <paramref name="number"/>, for a member of its own; the delivery's id.
    /// </summary>
    public static async Task<Guid> QueueAsync(NpgsqlDataSource dataSource, int number)
    {
        var member = new DirectoryEntry(
            Guid.NewGuid(), $"membre{number}@boulangerie.example", "Camille", "member", Guid.NewGuid());
        var thread = new ThreadAudience(
            Guid.NewGuid(), number, "Facturation", member.CompanyId!.Value, "company", [], member.UserId);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await NotificationStore.NotifyAsync(transaction,
            [new Notice(Guid.NewGuid(), DateTimeOffset.UtcNow, NotificationKinds.MessagePosted, thread, [member])],
            TimeSpan.FromMinutes(15), CancellationToken.None);
        await transaction.CommitAsync();
        return await connection.ExecuteScalarAsync<Guid>(
            "select id from email_deliveries where address = @address", new { address = member.Email });
    }
}

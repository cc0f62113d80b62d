using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging;
using Portal.Notifications.Data;
using Portal.Notifications.Model;

namespace Portal.Notifications.Consumers;

/// <summary>A thread given to a staff member: they are told, in-app and live, unless they took it themselves.</summary>
public sealed class TicketAssignedConsumer(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
    : InboxConsumer<TicketAssigned>(dataSource, "TicketAssignedConsumer")
{
    protected override async Task HandleAsync(
        NpgsqlTransaction transaction, TicketAssigned assigned, CancellationToken ct)
    {
        if (assigned.AssigneeId is not { } assigneeId || assigneeId == assigned.AssignedBy)
            return;
        var (thread, directory) = (await NotificationStore.ReachAsync(transaction, [assigned.TicketId], ct))
            .GetValueOrDefault(assigned.TicketId) ?? throw new ThreadNotKnownYetException(assigned.TicketId);
        var assignee = directory
            .Where(user => user.UserId == assigneeId && user.Role == PortalClaims.StaffRole)
            .ToList();
        await NotificationStore.NotifyAsync(transaction,
            [new Notice(assigned.EventId, assigned.OccurredAt, NotificationKinds.TicketAssigned, thread, assignee)],
            options.Value.EmailQuietPeriod, ct);
    }
}

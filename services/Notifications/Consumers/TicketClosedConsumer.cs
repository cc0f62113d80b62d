using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Contracts;
using Portal.Notifications.Model;

namespace Portal.Notifications.Consumers;

/// <summary>A closed thread: its audience is told who closed it.</summary>
public sealed class TicketClosedConsumer(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
    : ThreadEventConsumer<TicketClosed>(dataSource, "TicketClosedConsumer", options)
{
    protected override Task HandleAsync(NpgsqlTransaction transaction, TicketClosed closed, CancellationToken ct) =>
        NotifyAsync(transaction, closed, closed.TicketId, closed.ClosedBy, NotificationKinds.TicketClosed, ct);
}

using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Contracts;
using Portal.Notifications.Data;
using Portal.Notifications.Model;

namespace Portal.Notifications.Consumers;

/// <summary>A new thread: known here from now on, with its opening list, and its audience told.</summary>
public sealed class TicketOpenedConsumer(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
    : ThreadEventConsumer<TicketOpened>(dataSource, "TicketOpenedConsumer", options)
{
    protected override async Task HandleAsync(NpgsqlTransaction transaction, TicketOpened opened, CancellationToken ct)
    {
        await NotificationStore.AddThreadAsync(transaction, opened, ct);
        // The opening list, as version 0: Access's own TicketAccessChanged (version 1 and later) replaces it.
        await Portal.AccessProjection.TicketAccess.ApplyAsync(transaction, new TicketAccessChanged(
            opened.EventId, opened.OccurredAt, opened.TicketId, opened.CompanyId, opened.Visibility.Mode,
            opened.Visibility.UserIds, Version: 0, opened.OpenedBy.UserId), ct);
        await NotifyAsync(transaction, opened, opened.TicketId, opened.OpenedBy, NotificationKinds.TicketOpened, ct);
    }
}

using Npgsql;
using Portal.Access.Data;
using Portal.Access.Model;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Access.Consumers;

/// <summary>
/// Stores a new thread's list as version 1 when the synchronous registration did not (it is a
/// no-op when it did): the event is the guarantee, the registration the speed.
/// </summary>
public sealed class TicketOpenedConsumer(NpgsqlDataSource dataSource, AccessListStore lists)
    : InboxConsumer<TicketOpened>(dataSource, "TicketOpenedConsumer")
{
    protected override async Task HandleAsync(NpgsqlTransaction transaction, TicketOpened opened, CancellationToken ct)
    {
        var list = AccessList.Initial(opened.TicketId, opened.CompanyId, opened.OpenedBy.UserId,
            creatorIsMember: opened.OpenedBy.Side == Sides.Member, opened.Visibility.Mode, opened.Visibility.UserIds);
        await lists.RegisterAsync(transaction, list, opened.OpenedBy.UserId, ct);
    }
}

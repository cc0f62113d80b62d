using Npgsql;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.AccessProjection;

/// <summary>Applies Access's lists to the service's projection (a list older than the one held is ignored).</summary>
public sealed class TicketAccessChangedConsumer(NpgsqlDataSource dataSource)
    : InboxConsumer<TicketAccessChanged>(dataSource, "TicketAccessChangedConsumer")
{
    protected override Task HandleAsync(
        NpgsqlTransaction transaction, TicketAccessChanged changed, CancellationToken ct) =>
        TicketAccess.ApplyAsync(transaction, changed, ct);
}

using Dapper;
using Npgsql;

namespace Portal.Notifications.Data;

/// <summary>
/// The open live streams of every instance. A person holds at most a configured number: opening
/// one more closes the oldest, wherever it is held (the channel <see cref="ClosedChannel"/> names
/// it). A row left by an instance that died is simply the oldest, and goes first.
/// </summary>
public sealed class LiveStreamRegistry(NpgsqlDataSource dataSource)
{
    public const string ClosedChannel = "portal_live_stream_closed";

    public async Task OpenAsync(Guid streamId, Guid userId, int maxPerUser, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // One person's streams open one at a time, so that two at once cannot both stay over the cap.
        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtextextended(@user, 7))", new { user = userId.ToString() }, transaction,
            cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into live_streams (id, user_id, opened_at) values (@streamId, @userId, clock_timestamp());
            with closed as (
                delete from live_streams where id in (
                    select id from live_streams where user_id = @userId
                    order by opened_at desc, id desc offset @maxPerUser)
                returning id)
            select pg_notify(@ClosedChannel, id::text) from closed;
            """, new { streamId, userId, maxPerUser, ClosedChannel }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    public async Task CloseAsync(Guid streamId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from live_streams where id = @streamId", new { streamId }, cancellationToken: ct));
    }
}

using Dapper;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Access.Data;

/// <summary>
/// The deny-list of tokens that stop working before they expire. Each revocation is stored with its
/// <see cref="TokensRevoked"/> event in one transaction; every process reads the whole list at
/// start-up (<c>/internal/revocations</c>) and hears the events after. Access reads its own table.
/// </summary>
public sealed class RevocationStore(NpgsqlDataSource dataSource, TimeProvider clock) : IRevocationSource
{
    public async Task RevokeTokenAsync(Guid userId, Guid tokenId, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await AddAsync(transaction, new Revocation(userId, tokenId, clock.GetUtcNow(), expiresAt), ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Stores <paramref name="revocation"/> and its event in the caller's transaction (a token revoked twice is stored
    /// once).
    /// </summary>
    public async Task AddAsync(NpgsqlTransaction transaction, Revocation revocation, CancellationToken ct)
    {
        var inserted = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into revocations (user_id, token_id, issued_before, expires_at)
            values (@UserId, @TokenId, @IssuedBefore, @ExpiresAt)
            on conflict (token_id) where token_id is not null do nothing
            """, revocation, transaction, cancellationToken: ct));
        if (inserted == 0)
            return;
        await Outbox.EnqueueAsync(transaction, new TokensRevoked(Guid.CreateVersion7(), clock.GetUtcNow(),
            revocation.UserId, revocation.TokenId, revocation.IssuedBefore, revocation.ExpiresAt), ct);
    }

    /// <summary>
    /// Until when every token of <paramref name="userId"/> is revoked, if it is (their latest cut-off).
    /// </summary>
    public async Task<DateTimeOffset?> RevokedBeforeAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var before = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "select max(issued_before) from revocations where user_id = @userId and token_id is null",
            new { userId }, cancellationToken: ct));
        return before is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    /// <summary>Every revocation still in force (expired ones are forgotten here too).</summary>
    public async Task<IReadOnlyList<Revocation>> ReadAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from revocations where expires_at < now() - interval '1 hour'", cancellationToken: ct));
        var rows = await connection.QueryAsync<RevocationRow>(new CommandDefinition(
            """
            select user_id as UserId, token_id as TokenId, issued_before as IssuedBefore, expires_at as ExpiresAt
            from revocations where expires_at > now()
            """, cancellationToken: ct));
        return rows.Select(r => new Revocation(r.UserId, r.TokenId,
            new DateTimeOffset(r.IssuedBefore, TimeSpan.Zero), new DateTimeOffset(r.ExpiresAt, TimeSpan.Zero)))
            .ToList();
    }

    // timestamptz comes as a UTC DateTime, which Dapper will not hand to a DateTimeOffset parameter.
    private sealed record RevocationRow(Guid UserId, Guid? TokenId, DateTime IssuedBefore, DateTime ExpiresAt);
}

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

    /// <summary>Stores <paramref name="revocation"/> and its event in the caller's transaction (a token revoked twice is stored once).</summary>
    public async Task AddAsync(NpgsqlTransaction transaction, Revocation revocation, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            insert into revocations (user_id, token_id, issued_before, expires_at) values ($1, $2, $3, $4)
            on conflict (token_id) where token_id is not null do nothing
            """, transaction.Connection, transaction);
        insert.Parameters.Add(new() { Value = revocation.UserId });
        insert.Parameters.Add(new() { Value = revocation.TokenId is { } id ? id : DBNull.Value });
        insert.Parameters.Add(new() { Value = revocation.IssuedBefore });
        insert.Parameters.Add(new() { Value = revocation.ExpiresAt });
        if (await insert.ExecuteNonQueryAsync(ct) == 0)
            return;
        await Outbox.EnqueueAsync(transaction, new TokensRevoked(Guid.CreateVersion7(), clock.GetUtcNow(),
            revocation.UserId, revocation.TokenId, revocation.IssuedBefore, revocation.ExpiresAt), ct);
    }

    /// <summary>Every revocation still in force (expired ones are forgotten here too).</summary>
    public async Task<IReadOnlyList<Revocation>> ReadAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var prune = new NpgsqlCommand("delete from revocations where expires_at < now() - interval '1 hour'", connection))
            await prune.ExecuteNonQueryAsync(ct);
        await using var select = new NpgsqlCommand(
            "select user_id, token_id, issued_before, expires_at from revocations where expires_at > now()", connection);
        var revocations = new List<Revocation>();
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            revocations.Add(new Revocation(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return revocations;
    }
}

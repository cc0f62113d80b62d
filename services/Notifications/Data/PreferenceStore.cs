using Dapper;
using Npgsql;

namespace Portal.Notifications.Data;

/// <summary>Each person's notification preferences: e-mail is on until they turn it off.</summary>
public sealed class PreferenceStore(NpgsqlDataSource dataSource)
{
    public async Task<bool> WantsEmailAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool?>(
            new CommandDefinition("select email from preferences where user_id = @userId", new { userId },
                cancellationToken: ct)) ?? true;
    }

    public async Task SetEmailAsync(Guid userId, bool email, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into preferences (user_id, email) values (@userId, @email)
            on conflict (user_id) do update set email = excluded.email, updated_at = now()
            """, new { userId, email }, cancellationToken: ct));
    }
}

using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Portal.Web.Data;

/// <summary>
/// Sessions are kept on the server: the cookie carries only a random key, so the API token is never in the browser,
/// not even encrypted. They are kept in the database, the ticket encrypted with Data Protection and the key only as
/// its hash, so that every instance of the web front end, and one that restarted, knows them.
/// </summary>
public sealed class ServerSessionStore(NpgsqlDataSource dataSource, IDataProtectionProvider protection) : ITicketStore
{
    private readonly IDataProtector _protector = protection.CreateProtector("Portal.Web.Sessions");

    /// <summary>Whether the session a live page was opened in still stands (not signed out, not expired).</summary>
    public async Task<bool> IsActiveAsync(string session)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from sessions where session_id = @session and expires_at > now())",
            new { session });
    }

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("delete from sessions where expires_at <= now()");
        await WriteAsync(connection, key, ticket);
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await WriteAsync(connection, key, ticket);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var stored = await connection.QuerySingleOrDefaultAsync<byte[]>(
            "select ticket from sessions where key_hash = @hash and expires_at > now()", new { hash = Hash(key) });
        return stored is null ? null : TicketSerializer.Default.Deserialize(_protector.Unprotect(stored));
    }

    public async Task RemoveAsync(string key)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("delete from sessions where key_hash = @hash", new { hash = Hash(key) });
    }

    private Task WriteAsync(NpgsqlConnection connection, string key, AuthenticationTicket ticket) =>
        connection.ExecuteAsync(
            """
            insert into sessions (key_hash, session_id, ticket, expires_at) values (@hash, @session, @stored, @expires)
            on conflict (key_hash) do update set session_id = excluded.session_id, ticket = excluded.ticket,
                expires_at = excluded.expires_at
            """,
            new
            {
                hash = Hash(key),
                session = ticket.Principal.FindFirst(SignedInUser.SessionClaim)?.Value,
                stored = _protector.Protect(TicketSerializer.Default.Serialize(ticket)),
                expires = (ticket.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow.AddHours(12)).UtcDateTime,
            });

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

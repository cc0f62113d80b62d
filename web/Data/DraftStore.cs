using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Portal.Web.Data;

/// <summary>
/// What a user is typing, kept in the database (encrypted), so that neither an expired session nor another or a
/// restarted instance of the web front end loses it.
/// </summary>
public sealed class DraftStore(NpgsqlDataSource dataSource, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Portal.Web.Drafts");

    public async Task<string> GetAsync(Guid user, string form)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var body = await connection.QuerySingleOrDefaultAsync<byte[]>(
            "select body from drafts where user_id = @user and form = @form", new { user, form });
        return body is null ? "" : System.Text.Encoding.UTF8.GetString(_protector.Unprotect(body));
    }

    /// <summary>Keeps the text (an empty one clears the draft); a later text is never replaced by this.</summary>
    public async Task SetAsync(Guid user, string form, string text)
    {
        // Taken before anything is awaited: keystrokes handled while an earlier save is on its way stay newer. A
        // cleared draft stays as an empty row for a day, so that no save arriving late brings the text back.
        var at = clock.GetUtcNow().UtcDateTime;
        byte[]? body = string.IsNullOrEmpty(text) ? null : _protector.Protect(System.Text.Encoding.UTF8.GetBytes(text));
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            insert into drafts (user_id, form, body, updated_at) values (@user, @form, @body, @at)
            on conflict (user_id, form) do update set body = excluded.body, updated_at = excluded.updated_at
            where drafts.updated_at < excluded.updated_at
            """,
            new { user, form, body, at });
        if (body is null)
            await connection.ExecuteAsync(
                "delete from drafts where body is null and updated_at < @before", new { before = at.AddDays(-1) });
    }
}

using Dapper;
using Npgsql;
using Portal.Access.Model;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Access.Data;

public sealed record CompanySummary(Guid Id, string Name);

public sealed record CompanyUser(Guid Id, string DisplayName, string Email, bool Active);

public sealed record UserName(string DisplayName, bool Active);

public sealed record Credentials(DirectoryUser User, string PasswordHash);

public sealed class DirectoryStore(NpgsqlDataSource dataSource, RevocationStore revocations, TimeProvider clock)
{
    private const string UserColumns =
        "u.id, u.email, u.display_name as DisplayName, u.role, u.company_id as CompanyId, c.name as CompanyName, u.deactivated_at is null as Active";

    public async Task<DirectoryUser?> FindUserAsync(Guid id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<DirectoryUser>(
            $"select {UserColumns} from users u left join companies c on c.id = u.company_id where u.id = @id", new { id });
    }

    public async Task<Credentials?> FindCredentialsAsync(string email)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<DirectoryUser, string, Credentials>(
            $"""
            select {UserColumns}, u.password_hash as PasswordHash
            from users u left join companies c on c.id = u.company_id where lower(u.email) = lower(@email)
            """,
            (user, hash) => new Credentials(user, hash),
            new { email }, splitOn: "PasswordHash");
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<CompanySummary>> CompaniesAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<CompanySummary>("select id, name from companies order by name, id")).AsList();
    }

    public async Task<bool> CompanyExistsAsync(Guid companyId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("select exists (select 1 from companies where id = @companyId)", new { companyId });
    }

    public async Task<IReadOnlyList<CompanyUser>> CompanyUsersAsync(Guid companyId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<CompanyUser>(
            "select id, display_name as DisplayName, email, deactivated_at is null as Active from users where company_id = @companyId order by display_name, id",
            new { companyId })).AsList();
    }

    public async Task<IReadOnlyDictionary<Guid, UserName>> DisplayNamesAsync(IEnumerable<Guid> userIds)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("select id, display_name, deactivated_at is null from users where id = any($1)", connection);
        command.Parameters.Add(new() { Value = userIds.Distinct().ToArray() });
        var names = new Dictionary<Guid, UserName>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names[reader.GetGuid(0)] = new UserName(reader.GetString(1), reader.GetBoolean(2));
        return names;
    }

    /// <summary>
    /// Deactivates or reactivates a user of <paramref name="companyId"/>; false when there is no such user.
    /// Deactivating revokes every token issued so far (a token lives at most <paramref name="tokenLifetime"/>);
    /// the change is announced so that nobody notifies an inactive person.
    /// </summary>
    public async Task<bool> SetActiveAsync(Guid companyId, Guid userId, bool active, TimeSpan tokenLifetime, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<DirectoryUser>(
            """
            update users u set deactivated_at = case when @active then null else coalesce(u.deactivated_at, now()) end
            where u.id = @userId and u.company_id = @companyId
            returning u.id, u.email, u.display_name as DisplayName, u.role, u.company_id as CompanyId, null as CompanyName,
                u.deactivated_at is null as Active
            """, new { userId, companyId, active }, transaction);
        if (user is null)
            return false;
        var now = clock.GetUtcNow();
        if (!active)
            await revocations.AddAsync(transaction, new Revocation(userId, null, now, now + tokenLifetime), ct);
        await Outbox.EnqueueAsync(transaction, new DirectoryUserChanged(Guid.CreateVersion7(), now, user.Id, user.Email, user.DisplayName,
            user.Role, user.CompanyId, user.Active), ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}

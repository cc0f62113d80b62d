using Dapper;
using Npgsql;
using Portal.Access.Model;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Access.Data;

public sealed record CompanySummary(Guid Id, string Name);

public sealed record CompanyUser(Guid Id, string DisplayName, string Email, bool Active);

/// <summary>A staff member and the teams they work in (codes of Tickets' teams).</summary>
public sealed record StaffMember(Guid Id, string DisplayName, IReadOnlyList<string> Teams, bool Active);

public sealed record UserName(string DisplayName, bool Active);

public sealed record Credentials(DirectoryUser User, string PasswordHash);

public sealed class DirectoryStore(NpgsqlDataSource dataSource, RevocationStore revocations, TimeProvider clock)
{
    private const string UserColumns =
        "u.id, u.email, u.display_name as DisplayName, u.role, u.company_id as CompanyId, c.name as CompanyName, "
            + "u.deactivated_at is null as Active";

    public async Task<DirectoryUser?> FindUserAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<DirectoryUser>(new CommandDefinition(
            $"select {UserColumns} from users u left join companies c on c.id = u.company_id where u.id = @id",
            new { id }, cancellationToken: ct));
    }

    public async Task<Credentials?> FindCredentialsAsync(string email, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DirectoryUser, string, Credentials>(new CommandDefinition(
            $"""
            select {UserColumns}, u.password_hash as PasswordHash
            from users u left join companies c on c.id = u.company_id where lower(u.email) = lower(@email)
            """, new { email }, cancellationToken: ct),
            (user, hash) => new Credentials(user, hash), splitOn: "PasswordHash");
        return rows.SingleOrDefault();
    }

    public async Task<IReadOnlyList<CompanySummary>> CompaniesAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<CompanySummary>(new CommandDefinition(
            "select id, name from companies order by name, id", cancellationToken: ct))).AsList();
    }

    public async Task<bool> CompanyExistsAsync(Guid companyId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from companies where id = @companyId)", new { companyId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<CompanyUser>> CompanyUsersAsync(Guid companyId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<CompanyUser>(new CommandDefinition(
            "select id, display_name as DisplayName, email, deactivated_at is null as Active from users "
                + "where company_id = @companyId order by display_name, id",
            new { companyId }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<StaffMember>> StaffAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(Guid Id, string DisplayName, string[] Teams, bool Active)>(
            new CommandDefinition(
                """
                select u.id, u.display_name,
                    array(select t.team from staff_teams t where t.user_id = u.id order by t.team),
                    u.deactivated_at is null
                from users u where u.role = 'staff' order by u.display_name, u.id
                """, cancellationToken: ct)))
            .Select(s => new StaffMember(s.Id, s.DisplayName, s.Teams, s.Active)).ToList();
    }

    public async Task<IReadOnlyDictionary<Guid, UserName>> DisplayNamesAsync(
        IEnumerable<Guid> userIds, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(Guid Id, string Name, bool Active)>(new CommandDefinition(
            "select id, display_name, deactivated_at is null from users where id = any(@ids)",
            new { ids = userIds.Distinct().ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => new UserName(r.Name, r.Active));
    }

    /// <summary>
    /// Deactivates or reactivates a user of <paramref name="companyId"/>; false when there is no such user.
    /// Deactivating revokes every token issued so far (a token lives at most <paramref name="tokenLifetime"/>);
    /// the change is announced so that nobody notifies an inactive person.
    /// </summary>
    public async Task<bool> SetActiveAsync(
        Guid companyId, Guid userId, bool active, TimeSpan tokenLifetime, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<DirectoryUser>(new CommandDefinition(
            """
            update users u set deactivated_at = case when @active then null else coalesce(u.deactivated_at, now()) end
            where u.id = @userId and u.company_id = @companyId
            returning u.id, u.email, u.display_name as DisplayName, u.role, u.company_id as CompanyId,
                null as CompanyName, u.deactivated_at is null as Active
            """, new { userId, companyId, active }, transaction, cancellationToken: ct));
        if (user is null)
            return false;
        var now = clock.GetUtcNow();
        if (!active)
            await revocations.AddAsync(transaction, new Revocation(userId, null, now, now + tokenLifetime), ct);
        await Outbox.EnqueueAsync(transaction, new DirectoryUserChanged(Guid.CreateVersion7(), now, user.Id,
            user.Email, user.DisplayName, user.Role, user.CompanyId, user.Active), ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}

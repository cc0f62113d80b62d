using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Access.Model;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Access.Data;

/// <summary>
/// The demo directory of API.md, loaded in Development so that a new user can sign in at once.
/// Idempotent: ids derive from the e-mail addresses and existing rows are left as they are. Every
/// start announces the directory (<see cref="DirectoryUserChanged"/>), so that a service whose
/// projection is new or was reset catches up.
/// </summary>
public sealed class DemoDirectory(
    NpgsqlDataSource dataSource, IPasswordHasher<DirectoryUser> hasher, IOptions<LoadDirectoryOptions> load)
    : IHostedService
{
    public const string Password = "Portal-demo-2026!";

    private static readonly (string Company, (string Email, string Name)[] Users)[] Members =
    [
        ("Boulangerie Martin",
        [
            ("camille.lefebvre@boulangerie-martin.example", "Camille LEFEBVRE"),
            ("julien.martin@boulangerie-martin.example", "Julien MARTIN"),
            ("sophie.bernard@boulangerie-martin.example", "Sophie BERNARD"),
        ]),
        ("Transports Dubois",
        [
            ("marc.dubois@transports-dubois.example", "Marc DUBOIS"),
            ("lea.petit@transports-dubois.example", "Léa PETIT"),
        ]),
    ];

    private static readonly (string Email, string Name, string[] Teams)[] Staff =
    [
        ("nadia.benali@pole-sante-travail.example", "Nadia BENALI", ["accueil", "planification"]),
        ("thomas.roux@pole-sante-travail.example", "Thomas ROUX", ["gestion", "accueil"]),
    ];

    public static Guid IdOf(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes("portal-demo:" + key)));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = (await connection.QueryAsync<string>(new CommandDefinition(
            "select lower(email) from users", transaction: transaction, cancellationToken: cancellationToken)))
            .ToHashSet();

        foreach (var (company, users) in Members.Concat(load.Value.Companies()))
        {
            var companyId = IdOf(company);
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into companies (id, name) values (@companyId, @company) on conflict (id) do nothing",
                new { companyId, company }, transaction, cancellationToken: cancellationToken));
            foreach (var (email, name) in users)
                await AddUserAsync(connection, transaction, existing, email, name, PortalClaims.MemberRole, companyId,
                    cancellationToken);
        }
        foreach (var (email, name) in Staff.Select(s => (s.Email, s.Name)).Concat(load.Value.Staff()))
            await AddUserAsync(connection, transaction, existing, email, name, PortalClaims.StaffRole, null,
                cancellationToken);
        foreach (var (email, _, teams) in Staff)
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into staff_teams (user_id, team) select @id, unnest(@teams) on conflict do nothing",
                new { id = IdOf(email), teams }, transaction, cancellationToken: cancellationToken));

        var now = DateTimeOffset.UtcNow;
        foreach (var user in await connection
            .QueryAsync<(Guid Id, string Email, string DisplayName, string Role, Guid? CompanyId)>(
                new CommandDefinition("select id, email, display_name, role, company_id from users",
                    transaction: transaction, cancellationToken: cancellationToken)))
        {
            await Outbox.EnqueueAsync(transaction, new DirectoryUserChanged(
                Guid.CreateVersion7(), now, user.Id, user.Email, user.DisplayName, user.Role, user.CompanyId),
                cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task AddUserAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        HashSet<string> existing,
        string email,
        string name,
        string role,
        Guid? companyId,
        CancellationToken cancellationToken)
    {
        if (existing.Contains(email))
            return;
        var user = new DirectoryUser(IdOf(email), email, name, role, companyId, null);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into users (id, email, display_name, role, company_id, password_hash)
            values (@Id, @Email, @DisplayName, @Role, @CompanyId, @hash) on conflict do nothing
            """,
            new
            {
                user.Id, user.Email, user.DisplayName, user.Role, user.CompanyId,
                hash = hasher.HashPassword(user, Password)
            },
            transaction, cancellationToken: cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Npgsql;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Each service connects as its own role: owner of its own database, no superuser, unable to open another's.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class DatabaseRoleTests(PortalApp portal)
{
    public static readonly TheoryData<string, string> Pairs = new()
    {
        { "tickets-db", "access_db" },
        { "access-db", "tickets_db" },
        { "attachments-db", "notifications_db" },
        { "notifications-db", "attachments_db" },
        { "web-db", "tickets_db" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_service_role_owns_its_database_and_cannot_open_another(string resource, string otherDatabase)
    {
        var own = new NpgsqlConnectionStringBuilder(await portal.ConnectionStringAsync(resource)) { Pooling = false };
        await using (var connection = new NpgsqlConnection(own.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                select r.rolsuper, r.rolcreatedb, r.rolcreaterole, pg_get_userbyid(d.datdba) = current_user
                from pg_roles r, pg_database d where r.rolname = current_user and d.datname = current_database()
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.False(reader.GetBoolean(0), "superuser");
            Assert.False(reader.GetBoolean(1), "may create databases");
            Assert.False(reader.GetBoolean(2), "may create roles");
            Assert.True(reader.GetBoolean(3), "does not own its database");
        }

        var other = new NpgsqlConnectionStringBuilder(own.ConnectionString) { Database = otherDatabase };
        await using var intruder = new NpgsqlConnection(other.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => intruder.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task Every_table_of_a_service_belongs_to_its_role()
    {
        foreach (var resource in new[] { "access-db", "tickets-db", "attachments-db", "notifications-db", "web-db" })
        {
            await using var connection = new NpgsqlConnection(await portal.ConnectionStringAsync(resource));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select count(*) from pg_tables where schemaname = 'public' and tableowner <> current_user",
                connection);
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }
    }
}

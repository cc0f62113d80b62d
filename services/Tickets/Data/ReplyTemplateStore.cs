using Dapper;
using Npgsql;
using Portal.Tickets.Model;

namespace Portal.Tickets.Data;

public sealed class ReplyTemplateStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = "id, team, title, body";

    /// <summary>The templates of one team, or of every team, by team and title.</summary>
    public async Task<IReadOnlyList<ReplyTemplate>> ListAsync(string? team, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<ReplyTemplate>(new CommandDefinition(
            $"select {Columns} from reply_templates where @team::text is null or team = @team order by team, title, id",
            new { team }, cancellationToken: ct))).AsList();
    }

    public async Task<ReplyTemplate?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ReplyTemplate>(new CommandDefinition(
            $"select {Columns} from reply_templates where id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>Adds a template, or replaces the one of <paramref name="id"/>; null when there is none.</summary>
    public async Task<ReplyTemplate?> SaveAsync(
        Guid id, TemplateRequest template, PortalUser author, bool create, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var sql = create
            ? $"""
              insert into reply_templates (id, team, title, body, updated_by, updated_at)
              values (@id, @Team, @Title, @Body, @UserId, @now) returning {Columns}
              """
            : $"""
              update reply_templates set team = @Team, title = @Title, body = @Body, updated_by = @UserId,
                  updated_at = @now
              where id = @id returning {Columns}
              """;
        return await connection.QuerySingleOrDefaultAsync<ReplyTemplate>(new CommandDefinition(sql,
            new { id, template.Team, template.Title, template.Body, author.UserId, now = clock.GetUtcNow() },
            cancellationToken: ct));
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from reply_templates where id = @id", new { id }, cancellationToken: ct)) == 1;
    }

    /// <summary>Adds the templates missing by id (the demo's), leaving any that staff changed as they are.</summary>
    public async Task SeedAsync(IEnumerable<ReplyTemplate> templates, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        foreach (var t in templates)
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into reply_templates (id, team, title, body, updated_by, updated_at)
                values (@Id, @Team, @Title, @Body, '00000000-0000-0000-0000-000000000000', @now)
                on conflict (id) do nothing
                """, new { t.Id, t.Team, t.Title, t.Body, now = clock.GetUtcNow() }, cancellationToken: ct));
    }
}

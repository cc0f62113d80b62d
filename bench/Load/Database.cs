using System.Diagnostics;
using Npgsql;

namespace Portal.Load;

/// <summary>
/// The system's PostgreSQL, reached as its superuser over the Unix socket in its data folder
/// (local connections are trusted there, and only root and postgres can open that folder).
/// </summary>
public sealed class Database(string socketDirectory, int port) : IAsyncDisposable
{
    // One source for the drain's polling: a source per poll would load PostgreSQL's types again every time.
    private NpgsqlDataSource? _notifications;

    public static Database Find()
    {
        var folder = Path.Combine(RunningPortal.RepositoryRoot, ".data", "postgres");
        var socket = Directory.Exists(folder)
            ? Directory.GetFiles(folder, ".s.PGSQL.*")
                .FirstOrDefault(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            : null;
        if (socket is null)
            throw new InvalidOperationException(
                $"no PostgreSQL socket in {folder}: is the Portal running from this clone?");
        return new Database(folder, int.Parse(Path.GetExtension(socket).TrimStart('.')));
    }

    public NpgsqlDataSource Open(string database) =>
        NpgsqlDataSource.Create(
            $"Host={socketDirectory};Port={port};Username=postgres;Database={database};Pooling=true");

    /// <summary>The newest notification's number: the run's start, for <see cref="NotificationsAsync"/>.</summary>
    public async Task<long> LatestNotificationAsync()
    {
        _notifications ??= Open("notifications_db");
        await using var command = _notifications.CreateCommand("select coalesce(max(seq), 0) from notifications");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// How many notifications the run's people got after number <paramref name="afterSeq"/> (ranges of an index; the
    /// demo directory's staff are told too, and are not counted).
    /// </summary>
    public async Task<long> NotificationCountAsync(IReadOnlyCollection<Guid> users, long afterSeq)
    {
        _notifications ??= Open("notifications_db");
        await using var command = _notifications.CreateCommand(
            "select count(*) from notifications where user_id = any($1) and seq > $2");
        command.Parameters.Add(new() { Value = users.ToArray() });
        command.Parameters.Add(new() { Value = afterSeq });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// message_posted notifications per (thread, person) written after number <paramref name="afterSeq"/>,
    /// for the threads and people of the run: a range of the primary key, however many earlier runs left.
    /// </summary>
    public async Task<Dictionary<(Guid Ticket, Guid User), int>> NotificationsAsync(
        IReadOnlyCollection<Guid> tickets, IReadOnlyCollection<Guid> users, long afterSeq)
    {
        _notifications ??= Open("notifications_db");
        await using var command = _notifications.CreateCommand(
            """
            select ticket_id, user_id, count(*)::int from notifications
            where seq > $1 and kind = 'message_posted' and ticket_id = any($2) and user_id = any($3)
            group by ticket_id, user_id
            """);
        command.Parameters.Add(new() { Value = afterSeq });
        command.Parameters.Add(new() { Value = tickets.ToArray() });
        command.Parameters.Add(new() { Value = users.ToArray() });
        var counts = new Dictionary<(Guid, Guid), int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            counts[(reader.GetGuid(0), reader.GetGuid(1))] = reader.GetInt32(2);
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        if (_notifications is not null)
            await _notifications.DisposeAsync();
    }

    /// <summary>Forgets what the server's statements cost so far (pg_stat_statements, loaded by postgres.sh).</summary>
    public async Task ResetStatementsAsync()
    {
        await using var admin = Open("postgres");
        await admin.CreateCommand("create extension if not exists pg_stat_statements").ExecuteNonQueryAsync();
        await admin.CreateCommand("select pg_stat_statements_reset()").ExecuteNonQueryAsync();
    }

    public sealed record Statement(string Database, long Calls, double TotalMs, double MeanMs, string Text);

    /// <summary>The statements that took the most time since the reset, every database.</summary>
    public async Task<IReadOnlyList<Statement>> TopStatementsAsync(int count)
    {
        await using var admin = Open("postgres");
        await using var command = admin.CreateCommand(
            """
            select d.datname, s.calls, s.total_exec_time, s.mean_exec_time,
                   left(regexp_replace(s.query, '\s+', ' ', 'g'), 110)
            from pg_stat_statements s join pg_database d on d.oid = s.dbid
            order by s.total_exec_time desc limit $1
            """);
        command.Parameters.Add(new() { Value = count });
        var statements = new List<Statement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            statements.Add(new Statement(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2),
                reader.GetDouble(3), reader.GetString(4)));
        return statements;
    }

    /// <summary>
    /// pgbench on the same server, 32 clients, one single-row insert per transaction, for
    /// <paramref name="seconds"/>: the rate PostgreSQL alone sustains here. Its own database.
    /// </summary>
    public async Task<double> PgbenchInsertsPerSecondAsync(int seconds)
    {
        await using (var admin = Open("postgres"))
        {
            await using var exists = admin.CreateCommand("select 1 from pg_database where datname = 'load_pgbench'");
            if (await exists.ExecuteScalarAsync() is null)
                await admin.CreateCommand("create database load_pgbench").ExecuteNonQueryAsync();
        }
        await using (var bench = Open("load_pgbench"))
        {
            await bench.CreateCommand(
                "create table if not exists single_insert (id bigint generated always as identity primary key, "
                + "at timestamptz not null default now(), v int not null)")
                .ExecuteNonQueryAsync();
            await bench.CreateCommand("truncate single_insert").ExecuteNonQueryAsync();
        }
        var script = Path.Combine(Path.GetTempPath(), "portal-load-insert.sql");
        await File.WriteAllTextAsync(script, "insert into single_insert (v) values (1);\n");
        var start = new ProcessStartInfo("/usr/lib/postgresql/15/bin/pgbench",
            ["-h", socketDirectory, "-p", port.ToString(), "-U", "postgres", "-n", "-c", "32", "-j", "2",
             "-T", seconds.ToString(), "-f", script, "load_pgbench"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps = ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                "pgbench said: " + output + await process.StandardError.ReadToEndAsync());
        return double.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
    }
}

using Npgsql;

namespace Portal.Database;

/// <summary>
/// Statements sent to PostgreSQL together, in one round trip of a transaction: a change with its read marker and
/// its events costs one exchange with the server, not one per statement.
/// </summary>
public static class Batches
{
    public static async Task ExecuteAsync(
        this NpgsqlTransaction transaction, IEnumerable<NpgsqlBatchCommand> commands, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        foreach (var command in commands)
            batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A statement with positional parameters (<c>$1</c>, <c>$2</c>...), made with <see cref="Value"/>.
    /// </summary>
    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>A parameter typed by its .NET type, so that a null still has one.</summary>
    public static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };
}

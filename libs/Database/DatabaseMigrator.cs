using Dapper;
using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Portal.Database;

/// <summary>
/// Applies the versioned SQL scripts of each schema assembly in order, before anything else starts. A session advisory
/// lock makes instances starting together take turns.
/// </summary>
public sealed partial class DatabaseMigrator(
    NpgsqlDataSource dataSource,
    string connectionString,
    IReadOnlyList<Assembly> schemaAssemblies,
    ILogger<DatabaseMigrator> logger)
    : IHostedService
{
    private const long LockKey = 0x506f7274616c; // "Portal"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        DapperTypes.Register();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_lock(@LockKey)", new { LockKey }, cancellationToken: cancellationToken));
        try
        {
            var upgrade = DeployChanges.To.PostgresqlDatabase(connectionString);
            for (var i = 0; i < schemaAssemblies.Count; i++)
                upgrade = upgrade.WithScriptsEmbeddedInAssembly(
                    schemaAssemblies[i], IsScript, new SqlScriptOptions { RunGroupOrder = i });
            var result = upgrade
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
                throw new InvalidOperationException(
                    $"Schema migration failed at {result.ErrorScript?.Name}", result.Error);
            foreach (var script in result.Scripts)
                LogApplied(script.Name);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "select pg_advisory_unlock(@LockKey)", new { LockKey }, cancellationToken: CancellationToken.None));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsScript(string name) => name.EndsWith(".sql", StringComparison.Ordinal);

    [LoggerMessage(LogLevel.Information, "Applied schema script {Script}")]
    private partial void LogApplied(string script);
}

using Dapper;
using Npgsql;
using Portal.Access.Tokens;

namespace Portal.Access.Data;

/// <summary>A budget to pay a sign-in attempt from: its key and its size.</summary>
public sealed record BudgetKey(string Key, SignInBudget Budget);

/// <summary>
/// Token buckets in PostgreSQL, shared by every Access instance. An attempt takes one token from
/// each of its budgets before the password is looked at, all or none, under the rows' locks: any
/// number of concurrent guesses evaluate at most what the budgets hold.
/// </summary>
public sealed class SignInBudgets(NpgsqlDataSource dataSource)
{
    // A bucket untouched this long is full again: its row says nothing and goes.
    private static readonly TimeSpan Forgotten = TimeSpan.FromDays(1);

    /// <summary>
    /// Takes one attempt from every budget, or none; null when taken, else how long until one is there.
    /// </summary>
    public async Task<TimeSpan?> TryTakeAsync(IReadOnlyList<BudgetKey> keys, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Always in the same order, so that two attempts never wait for each other's rows.
        foreach (var (key, budget) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var refill = budget.Refill.TotalSeconds;
            var taken = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(
                """
                insert into sign_in_budgets as b (key, tokens, updated_at) values (@key, @capacity - 1, now())
                on conflict (key) do update
                set tokens = least(
                        @capacity, b.tokens + greatest(0, extract(epoch from now() - b.updated_at)) / @refill) - 1,
                    updated_at = now()
                where least(@capacity, b.tokens + greatest(0, extract(epoch from now() - b.updated_at)) / @refill) >= 1
                returning tokens
                """, new { key, capacity = (double)budget.Attempts, refill }, transaction, cancellationToken: ct));
            if (taken is null)
            {
                var tokens = await connection.ExecuteScalarAsync<double>(new CommandDefinition(
                    "select least(@capacity, tokens + greatest(0, extract(epoch from now() - updated_at)) / @refill) "
                        + "from sign_in_budgets where key = @key",
                    new { key, capacity = (double)budget.Attempts, refill }, transaction, cancellationToken: ct));
                await transaction.RollbackAsync(ct);
                return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((1 - tokens) * refill)));
            }
        }
        await transaction.CommitAsync(ct);
        return null;
    }

    /// <summary>Gives back what a successful attempt took, and forgets buckets long full.</summary>
    public async Task GiveBackAsync(IReadOnlyList<BudgetKey> keys, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update sign_in_budgets b set tokens = least(k.capacity, b.tokens + 1)
            from unnest(@keys, @capacities) as k(key, capacity) where b.key = k.key;
            delete from sign_in_budgets where updated_at < now() - @forgotten;
            """,
            new
            {
                keys = keys.Select(k => k.Key).ToArray(),
                capacities = keys.Select(k => (double)k.Budget.Attempts).ToArray(),
                forgotten = Forgotten
            }, cancellationToken: ct));
    }
}

using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Portal.Access.Tokens;

namespace Portal.Access.Data;

/// <summary>
/// ES256 signing keys kept in Access's database, so tokens survive a restart and every instance
/// signs with the same key. The newest key signs; it and the one before validate, so a rotation
/// never invalidates a token already handed out.
/// </summary>
public sealed class SigningKeyStore(
    NpgsqlDataSource dataSource,
    IOptions<AccessTokenOptions> options,
    TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (IReadOnlyList<ECDsaSecurityKey> Keys, DateTimeOffset LoadedAt)? _cache;

    /// <summary>The key that signs new tokens.</summary>
    public async Task<ECDsaSecurityKey> CurrentAsync(CancellationToken ct = default) => (await KeysAsync(ct))[0];

    /// <summary>Current and previous keys, newest first.</summary>
    public async Task<IReadOnlyList<ECDsaSecurityKey>> KeysAsync(CancellationToken ct = default)
    {
        if (_cache is { } cached && clock.GetUtcNow() - cached.LoadedAt < CacheFor)
            return cached.Keys;
        await _refresh.WaitAsync(ct);
        try
        {
            if (_cache is { } again && clock.GetUtcNow() - again.LoadedAt < CacheFor)
                return again.Keys;
            var keys = await LoadOrRotateAsync(ct);
            _cache = (keys, clock.GetUtcNow());
            return keys;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<IReadOnlyList<ECDsaSecurityKey>> LoadOrRotateAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Instances rotating at the same moment take turns, so only one new key is made.
        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtext('access.signing_keys'))", transaction: transaction,
            cancellationToken: ct));
        var rows = (await connection.QueryAsync<(string Kid, string PrivateKey, DateTime CreatedAt)>(
            new CommandDefinition(
                "select kid, private_key, created_at from signing_keys order by created_at desc limit 2",
                transaction: transaction, cancellationToken: ct))).ToList();

        if (rows.Count == 0
            || clock.GetUtcNow() - new DateTimeOffset(rows[0].CreatedAt, TimeSpan.Zero) > options.Value.KeyRotation)
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var fresh = (Kid: Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)),
                PrivateKey: ecdsa.ExportPkcs8PrivateKeyPem(), CreatedAt: clock.GetUtcNow().UtcDateTime);
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into signing_keys (kid, algorithm, private_key, created_at) "
                    + "values (@Kid, 'ES256', @PrivateKey, @CreatedAt)",
                new { fresh.Kid, fresh.PrivateKey, fresh.CreatedAt }, transaction, cancellationToken: ct));
            rows.Insert(0, fresh);
        }
        await transaction.CommitAsync(ct);

        return rows.Take(2).Select(row =>
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(row.PrivateKey);
            return new ECDsaSecurityKey(ecdsa) { KeyId = row.Kid };
        }).ToList();
    }

    /// <summary>Forgets the cached keys, so the next call reads (and maybe rotates) them.</summary>
    public void Invalidate() => _cache = null;
}

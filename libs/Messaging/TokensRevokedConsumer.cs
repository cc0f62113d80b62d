using MassTransit;
using Microsoft.Extensions.Hosting;
using Portal.Contracts;

namespace Portal.Messaging;

/// <summary>Adds revoked tokens to this process's deny-list (each instance has a queue of its own).</summary>
public sealed class TokensRevokedConsumer(RevocationList revocations) : IConsumer<TokensRevoked>
{
    public Task Consume(ConsumeContext<TokensRevoked> context)
    {
        var message = context.Message;
        revocations.Add(new Revocation(message.UserId, message.TokenId, message.IssuedBefore, message.ExpiresAt));
        return Task.CompletedTask;
    }
}

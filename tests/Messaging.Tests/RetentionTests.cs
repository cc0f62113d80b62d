using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit;

namespace Portal.Messaging.Tests;

/// <summary>
/// Published events and handled messages past their retention are deleted; nothing unpublished ever is.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RetentionTests(BrokerFixture servers) : ProbeTest(servers)
{
    [Fact]
    public async Task Old_published_events_and_old_inbox_records_go_and_everything_else_stays()
    {
        await StartAsync(new Dictionary<string, string?> { ["Outbox:PollInterval"] = "01:00:00" });
        Guid oldPublished = Guid.NewGuid(), recentPublished = Guid.NewGuid(), oldUnpublished = Guid.NewGuid();
        Guid oldHandled = Guid.NewGuid(), recentHandled = Guid.NewGuid();
        await ExecuteAsync(
            """
            insert into outbox_messages (id, message_type, body, created_at, published_at) values
                ($1, 'x', '{}', now() - interval '9 days', now() - interval '8 days'),
                ($2, 'x', '{}', now() - interval '2 days', now() - interval '1 day'),
                ($3, 'x', '{}', now() - interval '10 days', null)
            """, oldPublished, recentPublished, oldUnpublished);
        await ExecuteAsync(
            """
            insert into inbox_messages (message_id, consumer, handled_at) values
                ($1, 'RetentionTests', now() - interval '31 days'),
                ($2, 'RetentionTests', now() - interval '1 day')
            """, oldHandled, recentHandled);

        try
        {
            Assert.True(
                await Host.Services.GetRequiredService<MessageRetention>().PruneAsync(CancellationToken.None) >= 2);

            Assert.Equal(0L, await CountAsync("select count(*) from outbox_messages where id = $1", oldPublished));
            Assert.Equal(1L, await CountAsync("select count(*) from outbox_messages where id = $1", recentPublished));
            Assert.Equal(1L, await CountAsync("select count(*) from outbox_messages where id = $1", oldUnpublished));
            Assert.Equal(0L, await CountAsync("select count(*) from inbox_messages where message_id = $1", oldHandled));
            Assert.Equal(1L,
                await CountAsync("select count(*) from inbox_messages where message_id = $1", recentHandled));
        }
        finally
        {
            // A row no relay could publish (its type is unknown) must not reach the other tests' relays.
            await ExecuteAsync("delete from outbox_messages where id = $1", oldUnpublished);
        }
    }
}

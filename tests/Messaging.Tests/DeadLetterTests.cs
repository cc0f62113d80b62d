using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Portal.Contracts;
using Portal.Testing;
using Xunit;

namespace Portal.Messaging.Tests;

/// <summary>
/// A poisoned message reaches its account's dead letters, and the operators' script puts it back once its cause is
/// fixed.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class DeadLetterTests(BrokerFixture servers) : ProbeTest(servers)
{
    [Fact]
    public async Task A_message_that_kept_failing_is_replayed_by_the_script_and_handled_once()
    {
        // Named "tickets", the service's queues are the "tickets" account's: the broker dead-letters them after 4
        // failed deliveries.
        await StartAsync(serviceName: "tickets");
        var fixedNow = false;
        var ticketId = Guid.NewGuid();
        Deliveries.Fails = t => t == ticketId && !fixedNow;
        var messageId = Guid.NewGuid();
        await Host.Services.GetRequiredService<IBus>().Publish(
            new TicketReopened(Guid.CreateVersion7(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(),
                new Actor(Guid.NewGuid(), Sides.Staff)),
            context => context.MessageId = messageId);

        await Eventually.TrueAsync(async () => (await RunAsync("list", "tickets")).Contains(messageId.ToString()),
            TimeSpan.FromSeconds(90));
        var listed = (await RunAsync("list", "tickets")).Split('\n').Single(l => l.Contains(messageId.ToString()));
        Assert.Contains("died in tickets-probe", listed);
        Assert.Contains("TicketReopened", listed);
        Assert.Contains("from tickets", listed);
        Assert.Equal(0L, await HandledAsync(ticketId));

        fixedNow = true;
        var replay = await RunAsync("replay", "tickets");
        Assert.Contains("to tickets-probe", replay);

        await Eventually.TrueAsync(async () => await HandledAsync(ticketId) == 1, TimeSpan.FromSeconds(30));
        // It left the dead letters once replayed: no later replay can bring it back.
        Assert.DoesNotContain(messageId.ToString(), await RunAsync("list", "tickets"));
    }

    [Fact]
    public async Task The_script_refuses_to_run_without_a_service()
    {
        var (code, _, error) = await ScriptAsync(["replay"]);
        Assert.Equal(2, code);
        Assert.Contains("usage", error);
    }

    private Task<long> HandledAsync(Guid ticketId) =>
        CountAsync("select count(*) from handled_events where ticket_id = $1", ticketId);

    private async Task<string> RunAsync(params string[] arguments)
    {
        var (code, output, error) = await ScriptAsync(arguments);
        Assert.True(code == 0, $"dead-letters.sh {string.Join(' ', arguments)}: exit {code}\n{output}\n{error}");
        return output;
    }

    /// <summary>
    /// scripts/dead-letters.sh as an operator runs it, against the test's broker as its administrator.
    /// </summary>
    private async Task<(int Code, string Output, string Error)> ScriptAsync(string[] arguments)
    {
        var start = new ProcessStartInfo(
            "bash", [Path.Combine(RepositoryRoot.Path, "scripts", "dead-letters.sh"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PORTAL_BROKER_URL"] = Servers.RabbitMq.ConnectionString;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}

using System.Collections.Concurrent;
using MassTransit;
using Npgsql;
using Portal.Contracts;

namespace Portal.Messaging.Tests;

/// <summary>Every delivery, whether or not the inbox let it through.</summary>
public sealed class Deliveries
{
    public ConcurrentQueue<(Guid TicketId, Guid MessageId)> All { get; } = new();

    public int CountFor(Guid ticketId) => All.Count(d => d.TicketId == ticketId);

    /// <summary>Deliveries whose handling is over (committed, or recognised by the inbox and skipped).</summary>
    public ConcurrentQueue<Guid> Finished { get; } = new();

    public int FinishedFor(Guid ticketId) => Finished.Count(t => t == ticketId);

    /// <summary>Consumers wait for it before handling anything: a test holds it to let messages pile up.</summary>
    public Task Open { get; set; } = Task.CompletedTask;

    /// <summary>
    /// Whether handling the message of that ticket fails (a poisoned message, until its cause is fixed).
    /// </summary>
    public Func<Guid, bool> Fails { get; set; } = _ => false;
}

/// <summary>Records each delivery, and through the inbox handles each message once.</summary>
public sealed class ProbeConsumer(NpgsqlDataSource dataSource, Deliveries deliveries) : IConsumer<TicketReopened>
{
    public async Task Consume(ConsumeContext<TicketReopened> context)
    {
        await deliveries.Open.WaitAsync(context.CancellationToken);
        deliveries.All.Enqueue((context.Message.TicketId, context.MessageId!.Value));
        if (deliveries.Fails(context.Message.TicketId))
            throw new InvalidOperationException($"Ticket {context.Message.TicketId} cannot be handled yet.");
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Inbox.BeginAsync(
            connection, context, nameof(ProbeConsumer), context.CancellationToken);
        if (transaction is null)
        {
            deliveries.Finished.Enqueue(context.Message.TicketId);
            return;
        }
        await using var insert = new NpgsqlCommand(
            "insert into handled_events values ($1, $2)", connection, transaction);
        insert.Parameters.Add(new() { Value = context.Message.TicketId });
        insert.Parameters.Add(new() { Value = context.MessageId!.Value });
        await insert.ExecuteNonQueryAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
        deliveries.Finished.Enqueue(context.Message.TicketId);
    }
}

/// <summary>Records each delivery of a batch of <see cref="TicketClosed"/>.</summary>
public sealed class ProbeBatchConsumer(Deliveries deliveries) : IConsumer<Batch<TicketClosed>>
{
    public Task Consume(ConsumeContext<Batch<TicketClosed>> context)
    {
        foreach (var delivery in context.Message)
            deliveries.All.Enqueue((delivery.Message.TicketId, delivery.MessageId!.Value));
        return Task.CompletedTask;
    }
}

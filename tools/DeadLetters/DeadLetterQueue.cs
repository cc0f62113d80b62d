using System.Text;
using RabbitMQ.Client;

namespace Portal.Tools.DeadLetters;

/// <summary>One dead-lettered message: where it died, why, how often, and what it is.</summary>
public sealed record DeadLetter(
    string? MessageId,
    string? Publisher,
    string? Queue,
    string? Reason,
    long Deaths,
    string? Type)
{
    public override string ToString() =>
        $"{MessageId ?? "-"}  {Type ?? "?"}  from {Publisher ?? "?"}  "
            + $"died in {Queue ?? "?"} ({Reason ?? "?"}, {Deaths}×)";
}

/// <summary>
/// A service's dead letters (<c>SERVICE-dead-letters</c>, where the broker moves a message its
/// queue failed to deliver: scripts/rabbitmq.sh). Replaying puts each one back on the queue it died
/// in, as it came (its publisher's user-id included, hence the administrator's "impersonator" tag),
/// confirmed by the broker before it leaves the dead letters: a message is never lost, and one
/// replayed twice after a crash is recognised by the consumer's inbox.
/// </summary>
public sealed class DeadLetterQueue : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _service;

    private DeadLetterQueue(IConnection connection, IChannel channel, string service)
    {
        _connection = connection;
        _channel = channel;
        _service = service;
    }

    public string Name => $"{_service}-dead-letters";

    public static async Task<DeadLetterQueue> OpenAsync(Uri broker, string service)
    {
        var connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "dead-letters" }
            .CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new DeadLetterQueue(connection, channel, service);
    }

    /// <summary>Up to <paramref name="max"/> dead letters, left where they are.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int max)
    {
        var letters = new List<DeadLetter>();
        var count = (await _channel.QueueDeclarePassiveAsync(Name)).MessageCount;
        for (var i = 0; i < Math.Min(count, max); i++)
        {
            if (await _channel.BasicGetAsync(Name, autoAck: false) is not { } message)
                break;
            letters.Add(Describe(message));
        }
        // Unacknowledged, they go back to the queue, in order, when the channel closes.
        return letters;
    }

    /// <summary>Puts up to <paramref name="max"/> dead letters back on their queues; says what it did.</summary>
    public async Task<IReadOnlyList<string>> ReplayAsync(int max)
    {
        var report = new List<string>();
        var replayed = new Dictionary<string, int>();
        var count = (await _channel.QueueDeclarePassiveAsync(Name)).MessageCount;
        for (var i = 0; i < Math.Min(count, max); i++)
        {
            if (await _channel.BasicGetAsync(Name, autoAck: false) is not { } message)
                break;
            var letter = Describe(message);
            // Only to the service's own queues: a header of the message is not a destination to trust blindly.
            if (letter.Queue is not { } queue || !queue.StartsWith(_service + "-", StringComparison.Ordinal)
                || queue == Name || !await ExistsAsync(queue))
            {
                report.Add($"left in {Name}: {letter}");
                continue;
            }
            await _channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(message.BasicProperties),
                message.Body.ToArray());
            await _channel.BasicAckAsync(message.DeliveryTag, multiple: false);
            replayed[queue] = replayed.GetValueOrDefault(queue) + 1;
        }
        report.AddRange(replayed.Select(r => $"replayed {r.Value} to {r.Key}"));
        report.Add($"{replayed.Values.Sum()} replayed, "
            + $"{report.Count(r => r.StartsWith("left", StringComparison.Ordinal))} left in {Name}");
        return report;
    }

    private readonly Dictionary<string, bool> _exists = [];

    private async Task<bool> ExistsAsync(string queue)
    {
        if (!_exists.TryGetValue(queue, out var exists))
            _exists[queue] = exists = await DeclaredAsync(queue);
        return exists;
    }

    private async Task<bool> DeclaredAsync(string queue)
    {
        // A passive declare of a missing queue closes the channel: ask on a channel of its own.
        await using var probe = await _connection.CreateChannelAsync();
        try
        {
            await probe.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }

    // x-death (newest first) says where and why; MassTransit's envelope says what.
    private static DeadLetter Describe(BasicGetResult message)
    {
        var properties = message.BasicProperties;
        var death = properties.Headers?.TryGetValue("x-death", out var value) == true
            && value is IList<object> deaths && deaths.Count > 0
            ? deaths[0] as IDictionary<string, object?>
            : null;
        return new DeadLetter(properties.MessageId, properties.UserId, Text(death, "queue"), Text(death, "reason"),
            death?.TryGetValue("count", out var c) == true && c is long n ? n : 0, TypeOf(message.Body.Span));
    }

    private static string? Text(IDictionary<string, object?>? table, string key) =>
        table?.TryGetValue(key, out var value) == true
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), _ => value?.ToString() }
            : null;

    private static string? TypeOf(ReadOnlySpan<byte> body)
    {
        try
        {
            using var envelope = System.Text.Json.JsonDocument.Parse(body.ToArray());
            return envelope.RootElement.TryGetProperty("messageType", out var types) && types.GetArrayLength() > 0
                ? types[0].GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

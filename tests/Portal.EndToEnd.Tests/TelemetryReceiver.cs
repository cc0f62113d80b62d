using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// An OTLP/HTTP receiver, where every process of the system sends its metrics in the tests (as it
/// sends them to the Aspire dashboard when run): it keeps the latest value of each metric point,
/// per process. Traces and logs are accepted and dropped. Reads the protobuf wire format directly
/// (the OTLP message classes are not published as a package): only the fields used here.
/// </summary>
public sealed class TelemetryReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, MetricPoint> _points = new();

    private TelemetryReceiver(WebApplication app) => _app = app;

    /// <summary>
    /// One point: its process (service.name / service.instance.id), its attributes, and its value (a histogram: its
    /// count and sum).
    /// </summary>
    public sealed record MetricPoint(
        string Service,
        string Instance,
        string Name,
        IReadOnlyDictionary<string, string> Attributes,
        double Value,
        double Sum);

    public Uri Endpoint =>
        new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    public static async Task<TelemetryReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new TelemetryReceiver(app);
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Read(body.ToArray());
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The latest points of a metric, from every process (or one service's).</summary>
    public IReadOnlyList<MetricPoint> Points(string name, string? service = null) =>
        [.. _points.Values.Where(p => p.Name == name && (service is null || p.Service == service))];

    /// <summary>Summed over processes: a counter's total, a histogram's count.</summary>
    public double Total(
        string name, string? service = null, Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
        Points(name, service).Where(p => where is null || where(p.Attributes)).Sum(p => p.Value);

    // ExportMetricsServiceRequest.resource_metrics(1) → ResourceMetrics{resource(1), scope_metrics(2)}
    // → ScopeMetrics{metrics(2)} → Metric{name(1), gauge(5) | sum(7) | histogram(9)} → data_points(1).
    private void Read(byte[] request)
    {
        foreach (var resourceMetrics in Fields(request).Where(f => f.Number == 1))
        {
            var resource = Fields(resourceMetrics.Bytes)
                .Where(f => f.Number == 1)
                .Select(f => Attributes(f.Bytes, 1))
                .FirstOrDefault() ?? [];
            var service = resource.GetValueOrDefault("service.name", "");
            var instance = resource.GetValueOrDefault("service.instance.id", "");
            foreach (var scope in Fields(resourceMetrics.Bytes).Where(f => f.Number == 2))
            foreach (var metric in Fields(scope.Bytes).Where(f => f.Number == 2))
            {
                var fields = Fields(metric.Bytes);
                var name = Encoding.UTF8.GetString(fields.First(f => f.Number == 1).Bytes.Span);
                foreach (var data in fields.Where(f => f.Number is 5 or 7 or 9))
                foreach (var point in Fields(data.Bytes).Where(f => f.Number == 1))
                {
                    var values = Fields(point.Bytes);
                    var histogram = data.Number == 9;
                    var attributes = Attributes(point.Bytes, histogram ? 9 : 7);
                    double value, sum = 0;
                    if (histogram)
                    {
                        value = values.Where(f => f.Number == 4).Select(f => (double)f.Value).FirstOrDefault();
                        sum = values.Where(f => f.Number == 5)
                            .Select(f => BitConverter.Int64BitsToDouble((long)f.Value))
                            .FirstOrDefault();
                    }
                    else
                    {
                        value = values.Where(f => f.Number is 4 or 6)
                            .Select(f => f.Number == 4
                                ? BitConverter.Int64BitsToDouble((long)f.Value)
                                : (long)f.Value)
                            .FirstOrDefault();
                    }
                    var key = $"{service}|{instance}|{name}|"
                        + $"{string.Join(",", attributes.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}"))}";
                    _points[key] = new MetricPoint(service, instance, name, attributes, value, sum);
                }
            }
        }
    }

    // KeyValue{key(1), value(2): AnyValue{string(1) | bool(2) | int(3) | double(4)}}, at field
    // <paramref name="field"/>.
    private static Dictionary<string, string> Attributes(ReadOnlyMemory<byte> message, int field)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var pair in Fields(message).Where(f => f.Number == field))
        {
            var parts = Fields(pair.Bytes);
            var key = Encoding.UTF8.GetString(parts.First(f => f.Number == 1).Bytes.Span);
            var any = parts.Where(f => f.Number == 2).Select(f => Fields(f.Bytes).FirstOrDefault()).FirstOrDefault();
            attributes[key] = any.Number switch
            {
                1 => Encoding.UTF8.GetString(any.Bytes.Span),
                2 => (any.Value != 0).ToString(),
                3 => ((long)any.Value).ToString(),
                4 => BitConverter.Int64BitsToDouble((long)any.Value)
                    .ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            };
        }
        return attributes;
    }

    private readonly record struct Field(int Number, ulong Value, ReadOnlyMemory<byte> Bytes);

    // The protobuf wire format: a varint key (field number, wire type), then a varint (0), 8 bytes
    // (1), a length and that many bytes (2) or 4 bytes (5).
    private static List<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<Field>();
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message.Span, ref position);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    fields.Add(new Field(number, Varint(message.Span, ref position), default));
                    break;
                case 1:
                    fields.Add(new Field(
                        number, BinaryPrimitives.ReadUInt64LittleEndian(message.Span[position..]), default));
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message.Span, ref position);
                    fields.Add(new Field(number, 0, message.Slice(position, length)));
                    position += length;
                    break;
                case 5:
                    fields.Add(new Field(
                        number, BinaryPrimitives.ReadUInt32LittleEndian(message.Span[position..]), default));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Wire type {key & 7} is not used by OTLP.");
            }
        }
        return fields;
    }

    private static ulong Varint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

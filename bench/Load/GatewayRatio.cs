using System.Diagnostics;

namespace Portal.Load;

/// <summary>
/// How much of a service's own throughput a call keeps through the gateway: the same requests,
/// closed loop with the same concurrency, alternately through the gateway and straight to the
/// service (at the address the gateway itself uses), three rounds each.
/// </summary>
public static class GatewayRatio
{
    public sealed record Round(double ThroughGateway, double Direct)
    {
        public double Ratio => ThroughGateway / Direct;
    }

    public static async Task<IReadOnlyList<Round>> MeasureAsync(
        IReadOnlyList<Person> people,
        string service,
        string path,
        int concurrency = 16,
        int seconds = 5,
        int rounds = 3)
    {
        var direct = DirectAddress(service);
        var directClients = people.Select(p =>
        {
            var client = People.ClientFrom(direct, null);
            client.DefaultRequestHeaders.Authorization = p.Gateway.DefaultRequestHeaders.Authorization;
            return client;
        }).ToList();
        var results = new List<Round>();
        for (var round = 0; round < rounds; round++)
        {
            var gateway = await RateAsync(people.Select(p => p.Gateway).ToList(), path, concurrency, seconds);
            var straight = await RateAsync(directClients, path, concurrency, seconds);
            results.Add(new Round(gateway, straight));
        }
        foreach (var client in directClients)
            client.Dispose();
        return results;
    }

    private static async Task<double> RateAsync(
        IReadOnlyList<HttpClient> clients, string path, int concurrency, int seconds)
    {
        // Warm the connections first.
        await Task.WhenAll(clients.Select(c => c.GetAsync(path)));
        var stop = Stopwatch.StartNew();
        var count = 0;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var i = worker;
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                using var response = await clients[i++ % clients.Count].GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                if (response.IsSuccessStatusCode)
                    Interlocked.Increment(ref count);
                else
                    Interlocked.Increment(ref failures);
            }
        }));
        if (failures > 0)
            Console.WriteLine($"  {path}: {failures} requests failed");
        return count / stop.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The address the gateway calls <paramref name="service"/> at, from its environment (service discovery).
    /// </summary>
    private static Uri DirectAddress(string service)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (!cmdline.Contains("/gateway/", StringComparison.Ordinal))
                    continue;
                var variables = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                var prefix = $"services__{service}__http__0=";
                if (variables.FirstOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal)) is { } entry)
                    return new Uri(entry[prefix.Length..]);
            }
            catch (IOException)
            {
            }
        }
        throw new InvalidOperationException($"no gateway process with the address of {service}");
    }
}

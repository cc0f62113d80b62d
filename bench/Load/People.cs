using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Portal.Load;

/// <summary>One person of the load directory, signed in, with a client of their own.</summary>
public sealed record Person(
    string Email, Guid Id, Guid? CompanyId, bool IsStaff, string Token, HttpClient Gateway);

/// <summary>
/// The people of the load directory (the performance profile seeds them in Access: ten companies
/// of four members, ten staff), each calling from an address of their own on the loopback network,
/// as separate browsers would: the gateway's per-address budgets see each apart.
/// </summary>
public static class People
{
    public const string Password = "Portal-demo-2026!";

    public static IEnumerable<string> MemberEmails(int companies, int perCompany) =>
        from c in Enumerable.Range(1, companies)
        from m in Enumerable.Range(1, perCompany)
        select $"membre{m}@charge-{c:00}.example";

    public static IEnumerable<string> StaffEmails(int count) =>
        Enumerable.Range(1, count).Select(s => $"agent{s:00}@charge.pole-sante-travail.example");

    public static async Task<IReadOnlyList<Person>> SignInAsync(Uri gateway, IEnumerable<string> emails)
    {
        var people = new List<Person>();
        var index = 0;
        foreach (var email in emails)
        {
            var client = ClientFrom(gateway, IPAddress.Parse($"127.0.1.{++index}"));
            var response = await client.PostAsJsonAsync("/api/auth/token", new { email, password = Password });
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new InvalidOperationException(
                    $"{email} cannot sign in: the running Portal has no load directory. Stop it and let the harness "
                    + "start one (or run PORTAL_PROFILE=perf ./run.sh).");
            }
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("accessToken").GetString()!;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
            var companyId = me.GetProperty("companyId").ValueKind == JsonValueKind.Null
                ? (Guid?)null
                : me.GetProperty("companyId").GetGuid();
            people.Add(new Person(email, me.GetProperty("id").GetGuid(), companyId, companyId is null, token, client));
        }
        return people;
    }

    /// <summary>
    /// A client whose connections leave from <paramref name="source"/> (any 127.x address reaches loopback on Linux).
    /// </summary>
    public static HttpClient ClientFrom(Uri baseAddress, IPAddress? source, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(
                    AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (source is not null)
                        socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = Loopback(baseAddress),
            Timeout = timeout ?? TimeSpan.FromSeconds(30)
        };
    }

    // The services listen on IPv4 loopback; "localhost" could resolve to ::1 first.
    private static Uri Loopback(Uri uri) =>
        uri.Host == "localhost" ? new UriBuilder(uri) { Host = "127.0.0.1" }.Uri : uri;
}

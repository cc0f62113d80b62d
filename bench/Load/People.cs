using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Portal.Access.Data;
using Portal.Testing;

namespace Portal.Load;

/// <summary>One person of the load directory, signed in, with a client of their own.</summary>
public sealed record Person(string Email, Guid Id, Guid? CompanyId, bool IsStaff, HttpClient Gateway);

/// <summary>
/// The people of the load directory (the performance profile seeds them in Access: ten companies
/// of four members, ten staff), each calling from an address of their own on the loopback network,
/// as separate browsers would: the gateway's per-address budgets see each apart.
/// </summary>
public static class People
{
    /// <summary>
    /// The directory the performance profile seeds (AppHost/PerformanceProfile.cs sets the same counts).
    /// </summary>
    public static readonly LoadDirectoryOptions LoadDirectory =
        new() { CompanyCount = 10, MembersPerCompany = 4, StaffCount = 10 };

    public static IEnumerable<string> MemberEmails() =>
        LoadDirectory.Companies().SelectMany(c => c.Users).Select(u => u.Email);

    public static IEnumerable<string> StaffEmails() => LoadDirectory.Staff().Select(s => s.Email);

    public static async Task<IReadOnlyList<Person>> SignInAsync(Uri gateway, IEnumerable<string> emails)
    {
        var people = new List<Person>();
        var index = 0;
        foreach (var email in emails)
        {
            var client = ClientFrom(gateway, IPAddress.Parse($"127.0.1.{++index}"));
            var response = await client.PostAsJsonAsync("/api/auth/token", new { email, password = Demo.Password });
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
            people.Add(new Person(email, me.GetProperty("id").GetGuid(), companyId, companyId is null, client));
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

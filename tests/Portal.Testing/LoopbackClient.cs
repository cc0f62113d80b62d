using System.Net;
using System.Net.Sockets;

namespace Portal.Testing;

/// <summary>
/// An HTTP client that calls from a loopback address of its own (127.0.0.0/8 is all local on
/// Linux): a separate client address for the gateway's and Access's per-address budgets, or the
/// web front end's own (<c>127.0.0.2</c>), whose <c>X-Forwarded-For</c> the gateway believes.
/// </summary>
public static class LoopbackClient
{
    /// <summary>The address the AppHost gives the web front end.</summary>
    public const string WebFrontEnd = "127.0.0.2";

    public static HttpClient Create(Uri baseAddress, string sourceAddress)
    {
        var local = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket =
                    new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(
                        await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, AddressFamily.InterNetwork, ct),
                        context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }
}

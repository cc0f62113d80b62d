using System.Net;
using System.Net.Sockets;

namespace Portal.Web;

/// <summary>
/// The web front end calls the gateway from its own address (<c>Portal:SourceAddress</c>), the
/// only one from which the gateway believes the <c>X-Forwarded-For</c> it sends when signing a
/// browser in; on one machine every process is on loopback, so the front end takes one of its own.
/// </summary>
public static class SourceAddress
{
    public static IHttpClientBuilder FromSourceAddress(this IHttpClientBuilder http, string? address)
    {
        if (string.IsNullOrEmpty(address))
            return http;
        var local = IPAddress.Parse(address);
        return http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    var targets = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, local.AddressFamily, ct);
                    await socket.ConnectAsync(targets, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
    }
}

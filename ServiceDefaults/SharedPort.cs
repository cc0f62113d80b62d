using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Portal.ServiceDefaults;

/// <summary>
/// Several instances of one part listening on one port (<c>Hosting:SharedPort=true</c>): each
/// listening socket is opened with <c>SO_REUSEPORT</c>, so the kernel spreads new connections over the
/// instances that are alive, and the callers keep one address with no proxy in between, which would
/// cost a hop and hide who calls. Off by default: a forgotten process on the port would otherwise take
/// a share of the connections silently instead of failing the start.
/// </summary>
internal static class SharedPort
{
    // Linux's SOL_SOCKET and SO_REUSEPORT: .NET names neither.
    private const int SocketLevel = 1;
    private const int ReusePort = 15;

    public static void AddSharedPort(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>("Hosting:SharedPort") || !OperatingSystem.IsLinux())
            return;
        builder.Services.Configure<SocketTransportOptions>(options => options.CreateBoundListenSocket = Bind);
    }

    private static Socket Bind(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ip)
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            socket.SetRawSocketOption(SocketLevel, ReusePort, BitConverter.GetBytes(1));
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Portal.AppHost;

/// <summary>
/// Ports for servers started later, by another process. The kernel's free port is free only now: a second request,
/// here or in another process picking ports the same way (the test runs side by side), may be given it again before
/// its server binds it, and then one of the two servers fails to start for as long as the other runs. So a port is
/// handed out once per process, and held for the process's lifetime by a lock on a file named after it, which other
/// processes skip; the kernel releases the lock when the process ends, however it ends.
/// </summary>
internal static class FreePort
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "portal-ports");
    private static readonly HashSet<int> Taken = [];
    private static readonly List<FileStream> Held = [];

    public static int Next()
    {
        lock (Taken)
        {
            Directory.CreateDirectory(Folder);
            while (true)
            {
                var port = AnyFree();
                if (Taken.Add(port) && TryHold(port))
                    return port;
            }
        }
    }

    private static int AnyFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool TryHold(int port)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix.
            Held.Add(new FileStream(Path.Combine(Folder, port.ToString()), FileMode.OpenOrCreate, FileAccess.ReadWrite,
                FileShare.None));
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}

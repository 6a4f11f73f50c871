using System.Net;
using System.Net.Sockets;

namespace Wharf.TestKit;

/// <summary>Host ports for tests: free ones the kernel picks (bound on every address, so also free on 127.0.0.1),
/// and whether something listens on one.</summary>
public static class LoopbackPorts
{
    public static int FreeTcp()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int FreeUdp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>True when a TCP connect to 127.0.0.1:<paramref name="port"/> is accepted.</summary>
    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

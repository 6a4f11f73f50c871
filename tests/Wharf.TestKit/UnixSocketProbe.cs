using System.Net.Sockets;

namespace Wharf.TestKit;

/// <summary>Whether a server listens on a unix socket yet: its file appears at bind(), a moment before listen(), so
/// the file alone is no sign that a connect would be accepted.</summary>
public static class UnixSocketProbe
{
    public static bool Accepts(string socketPath)
    {
        if (!File.Exists(socketPath)) return false;
        try
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

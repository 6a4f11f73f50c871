using System.Net.Sockets;
using Wharf.TestKit;

namespace Wharf.Shim.Tests;

/// <summary>Two connected unix stream sockets: the shim's side and the client's (what the daemon would hold).</summary>
internal sealed class SocketPair : IDisposable
{
    private SocketPair(Socket shim, Socket client)
    {
        Shim = shim;
        Client = client;
    }

    public Socket Shim { get; }
    public Socket Client { get; }

    public static async Task<SocketPair> CreateAsync()
    {
        // The socket file is only needed to connect: the directory goes at once.
        using var dir = new TempDirectory("wharf-shim-sock");
        var path = dir.Combine("s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        var shim = await listener.AcceptAsync();
        return new SocketPair(shim, client);
    }

    /// <summary>Everything the shim sends until it shuts its side down.</summary>
    public async Task<byte[]> ReadToEndAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await Client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            all.Write(buffer, 0, n);
        return all.ToArray();
    }

    public void Dispose()
    {
        Shim.Dispose();
        Client.Dispose();
    }
}

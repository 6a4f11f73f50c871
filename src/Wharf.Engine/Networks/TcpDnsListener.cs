using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Wharf.Engine.Networks;

/// <summary>DNS over TCP on a gateway address (RFC 7766: each message preceded by its 2-byte length), for answers
/// too big for UDP and resolvers that retry over TCP after a truncated reply. Several queries per connection.</summary>
internal sealed class TcpDnsListener : IDisposable
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
    private readonly DnsServer _server;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();

    public TcpDnsListener(DnsServer server, IPAddress address)
    {
        _server = server;
        _socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.Bind(new IPEndPoint(address, 53));
            _socket.Listen(64);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        AcceptLoopAsync().Observe(server.Logger, "DNS TCP listener " + address);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { return; }
            ServeAsync(client).Observe(_server.Logger, "DNS TCP connection");
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            var asker = DnsServer.AskerOf(((IPEndPoint)client.RemoteEndPoint!).Address, ((IPEndPoint)_socket.LocalEndPoint!).Address);
            var header = new byte[2];
            try
            {
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    idle.CancelAfter(IdleTimeout);
                    if (!await ReadExactlyAsync(client, header, idle.Token).ConfigureAwait(false)) return;
                    var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
                    if (!await ReadExactlyAsync(client, query, idle.Token).ConfigureAwait(false)) return;
                    var answer = await _server.ResolveAsync(query, asker, _stop.Token).ConfigureAwait(false);
                    if (answer is null) return;
                    var framed = new byte[answer.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
                    answer.CopyTo(framed, 2);
                    await client.SendAsync(framed, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or was idle too long.
            }
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}

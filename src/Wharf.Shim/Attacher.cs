using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Wharf.Shim;

/// <summary>One attached client. Output is queued per client and sent by its own loop, so a slow or vanished
/// client only ever loses its own stream: when its queue is full or a send fails, it is dropped.</summary>
internal sealed class Attacher
{
    private const int QueueCapacity = 1024;
    private readonly Socket _socket;
    private readonly bool _wantStdout;
    private readonly bool _wantStderr;
    private readonly bool _framed;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // we use TryWrite, so "full" means "drop this client"
    });

    public Attacher(Socket socket, bool wantStdout, bool wantStderr, bool framed)
    {
        _socket = socket;
        _wantStdout = wantStdout;
        _wantStderr = wantStderr;
        _framed = framed;
    }

    /// <summary>Queues a chunk; never blocks. False when the client has been dropped.</summary>
    public bool Offer(OutputStream stream, ReadOnlySpan<byte> chunk)
    {
        if (stream == OutputStream.Stdout ? !_wantStdout : !_wantStderr)
            return true;
        byte[] message;
        if (_framed)
        {
            message = new byte[8 + chunk.Length];
            message[0] = (byte)stream;
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4, 4), (uint)chunk.Length);
            chunk.CopyTo(message.AsSpan(8));
        }
        else
        {
            message = chunk.ToArray();
        }
        if (_queue.Writer.TryWrite(message))
            return true;
        Drop();
        return false;
    }

    /// <summary>No more output will come: the send loop finishes what is queued, then shuts down our side.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Sends queued output until <see cref="Complete"/>, then half-closes the socket.</summary>
    public async Task SendLoopAsync()
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
                await _socket.SendAsync(message, SocketFlags.None).ConfigureAwait(false);
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Drop();
        }
    }

    private void Drop()
    {
        _queue.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already gone
        }
    }
}

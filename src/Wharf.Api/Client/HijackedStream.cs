using System.Net.Sockets;

namespace Wharf.Api.Client;

/// <summary>
/// The raw duplex connection left after an attach/exec upgrade. Bytes that arrived together with the
/// response head are replayed first; <see cref="CloseWrite"/> half-closes so the daemon sees stdin EOF
/// while output keeps flowing.
/// </summary>
public sealed class HijackedStream : Stream
{
    private readonly Socket _socket;
    /// <summary>The socket itself, or TLS over it: every byte goes through here.</summary>
    private readonly Stream _network;
    private ReadOnlyMemory<byte> _pending;

    internal HijackedStream(Socket socket, Stream transport, ReadOnlyMemory<byte> alreadyBuffered, int statusCode, IReadOnlyDictionary<string, string> headers)
    {
        _socket = socket;
        _network = transport;
        _pending = alreadyBuffered;
        StatusCode = statusCode;
        Headers = headers;
    }

    /// <summary>101 when the server upgraded, 200 for servers that answer without upgrading.</summary>
    public int StatusCode { get; }

    /// <summary>Response headers, keys lower-cased.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value : null;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Shuts down the sending side (shutdown(SHUT_WR)); reading continues.</summary>
    public void CloseWrite()
    {
        try
        {
            // Over TLS the peer must first read close_notify, or it would see a truncated record, not EOF.
            if (_network is global::System.Net.Security.SslStream tls)
            {
                tls.ShutdownAsync().GetAwaiter().GetResult();
            }

            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already closed by the peer: nothing left to signal.
        }
        catch (ObjectDisposedException)
        {
        }
        catch (IOException)
        {
            // The TLS session is already gone: nothing left to signal either.
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TakePending(buffer, out var taken))
        {
            return taken;
        }

        return _network.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePending(buffer.Span, out var taken))
        {
            return ValueTask.FromResult(taken);
        }

        return _network.ReadAsync(buffer, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => _network.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _network.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _network.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _network.WriteAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _network.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool TakePending(Span<byte> destination, out int taken)
    {
        taken = 0;
        if (_pending.IsEmpty || destination.IsEmpty)
        {
            return false;
        }

        taken = Math.Min(destination.Length, _pending.Length);
        _pending.Span[..taken].CopyTo(destination);
        _pending = _pending[taken..];
        return true;
    }
}

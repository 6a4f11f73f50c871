using System.Security.Cryptography;

namespace Wharf.Engine.Distribution;

/// <summary>A read-only pass-through that hashes every byte and reports the running count every
/// <paramref name="step"/> bytes (and at the end), so a download is verified and shown in one pass.</summary>
internal sealed class ProgressReadStream(Stream inner, IncrementalHash? hash, Func<long, Task> progress, long step) : Stream
{
    private long _read;
    private long _reported;
    private bool _finished;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        hash?.AppendData(buffer[..n]);
        _read += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        hash?.AppendData(buffer.Span[..n]);
        _read += n;
        if ((n == 0 && !_finished) || _read - _reported >= step)
        {
            _finished |= n == 0;
            _reported = _read;
            await progress(_read).ConfigureAwait(false);
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

using Wharf.Api.Streams;

namespace Wharf.Daemon.Http;

/// <summary>Wraps raw terminal output in stdout frames. Docker frames an exec's output by the START request's "Tty",
/// not the exec's own: docker-py's exec_start(tty=False) of an exec created with tty=True reads frames, and a
/// terminal's bytes sent raw would be read as frame headers ("104 is not a valid stream").</summary>
internal sealed class StdoutFramingStream(Stream inner) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length > 0) await StdCopy.WriteFrameAsync(inner, StdStreamType.Stdout, buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();
    public override ValueTask DisposeAsync() => inner.DisposeAsync();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

using System.Security.Cryptography;
using Wharf.Core;
using Wharf.Core.Errors;

namespace Wharf.Engine.Content;

/// <summary>A write-only stream into the ingest directory that hashes as it goes. <see cref="Commit"/> verifies and
/// publishes the blob atomically; disposing an uncommitted writer deletes the partial file.</summary>
public sealed class ContentWriter : Stream
{
    private readonly string _ingestPath;
    private readonly ContentStore _store;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private Digest? _digest;
    private bool _committed;

    internal ContentWriter(string ingestPath, ContentStore store)
    {
        _ingestPath = ingestPath;
        _store = store;
        _file = new FileStream(ingestPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
    }

    /// <summary>Bytes written so far.</summary>
    public long Written { get; private set; }

    /// <summary>The digest of everything written; after this, no more writes are accepted.</summary>
    public Digest Digest => _digest ??= Digest.FromHex(Convert.ToHexStringLower(_hash.GetHashAndReset()));

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_committed && _digest is null;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!CanWrite) throw new InvalidOperationException("content writer is finished");
        _file.Write(buffer);
        _hash.AppendData(buffer);
        Written += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!CanWrite) throw new InvalidOperationException("content writer is finished");
        await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _hash.AppendData(buffer.Span);
        Written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Verifies digest and size, fsyncs and renames the blob into place. Returns the digest.</summary>
    public Digest Commit(Digest? expected = null, long? expectedSize = null)
    {
        if (_committed) throw new InvalidOperationException("content writer already committed");
        if (expectedSize is { } size && size != Written)
        {
            throw EngineException.Invalid($"unexpected commit size {Written}, expected {size}");
        }
        var actual = Digest;
        if (expected is { } want && want != actual)
        {
            throw EngineException.Invalid($"unexpected commit digest {actual}, expected {want}: failed precondition");
        }
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _store.Publish(_ingestPath, actual);
        _committed = true;
        return actual;
    }

    public override void Flush() => _file.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _hash.Dispose();
            if (!_committed) File.Delete(_ingestPath);
        }
        base.Dispose(disposing);
    }
}

using System.Security.Cryptography;
using Wharf.Core;

namespace Wharf.Registry.Distribution;

/// <summary>The SHA-256 of an upload's bytes so far and how many there were.</summary>
internal sealed class UploadHash
{
    private readonly IncrementalHash _hash;

    public UploadHash()
        : this(IncrementalHash.CreateHash(HashAlgorithmName.SHA256), 0)
    {
    }

    private UploadHash(IncrementalHash hash, long size)
    {
        _hash = hash;
        Size = size;
    }

    public long Size { get; private set; }

    /// <summary>An independent copy that continues from the same state (a chunk hashes into a copy, which replaces
    /// the session's hash only if the chunk is accepted).</summary>
    public UploadHash Clone() => new(_hash.Clone(), Size);

    public void Append(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        Size += data.Length;
    }

    public Digest Finish()
    {
        var digest = Digest.FromHex(Convert.ToHexStringLower(_hash.GetHashAndReset()));
        _hash.Dispose();
        return digest;
    }
}

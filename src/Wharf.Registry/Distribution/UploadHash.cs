using System.Security.Cryptography;
using Wharf.Core;

namespace Wharf.Registry.Distribution;

/// <summary>The SHA-256 of an upload's bytes so far and how many there were.</summary>
internal sealed class UploadHash
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Size { get; private set; }

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

using System.IO.Compression;
using Wharf.Core.Errors;

namespace Wharf.Engine.Images;

/// <summary>Detects how an uploaded archive is compressed from its magic bytes and returns the plain tar stream.</summary>
internal static class ArchiveDecompression
{
    public static async Task<Stream> OpenAsync(Stream source, CancellationToken ct)
    {
        var head = new byte[6];
        var read = await source.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        var magic = head.AsSpan(0, read);
        Stream replay = new PrefixedStream(head[..read], source);
        if (magic.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b])) return new GZipStream(replay, CompressionMode.Decompress);
        if (magic.StartsWith("BZh"u8)) throw Unsupported("bzip2");
        if (magic.StartsWith((ReadOnlySpan<byte>)[0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00])) throw Unsupported("xz");
        if (magic.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd])) return new ZstdSharp.DecompressionStream(replay);
        return replay;
    }

    private static EngineException Unsupported(string format) =>
        new(ErrorKind.InvalidArgument, $"unsupported archive compression: {format} (use an uncompressed, gzip or zstd tar)");
}

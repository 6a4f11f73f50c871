using System.IO.Compression;

namespace Wharf.Engine.Images.Archive;

/// <summary>Recognises gzip and zstd by their magic bytes and returns the plain stream (synchronous; used on
/// seekable temporary files and on the archive body read on a worker thread).</summary>
internal static class LayerDecompression
{
    public enum Kind { Plain, Gzip, Zstd }

    public static Kind Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b])) return Kind.Gzip;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd])) return Kind.Zstd;
        if (head.StartsWith("BZh"u8)) throw Wharf.Core.Errors.EngineException.Invalid("unsupported archive compression: bzip2");
        if (head.StartsWith((ReadOnlySpan<byte>)[0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00])) throw Wharf.Core.Errors.EngineException.Invalid("unsupported archive compression: xz");
        return Kind.Plain;
    }

    /// <summary>Wraps <paramref name="source"/> (not necessarily seekable) in a decompressor when needed.</summary>
    public static Stream Open(Stream source)
    {
        var head = new byte[6];
        var read = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var replay = new PrefixedStream(head[..read], source);
        return Detect(head.AsSpan(0, read)) switch
        {
            Kind.Gzip => new GZipStream(replay, CompressionMode.Decompress),
            Kind.Zstd => new ZstdSharp.DecompressionStream(replay),
            _ => replay,
        };
    }
}

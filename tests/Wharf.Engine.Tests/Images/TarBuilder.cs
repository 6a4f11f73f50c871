using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Wharf.Engine.Tests.Images;

/// <summary>Builds small tar archives in memory for tests, including hostile ones.</summary>
internal sealed class TarBuilder
{
    private static readonly DateTimeOffset FixedMtime = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly List<TarEntry> _entries = [];

    public TarBuilder Directory(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = FixedMtime });

    public TarBuilder File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100, DateTimeOffset? mtime = null)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = mode,
            ModificationTime = mtime ?? FixedMtime,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        };
        return Add(entry);
    }

    public TarBuilder Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, ModificationTime = FixedMtime });

    public TarBuilder HardLink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = FixedMtime });

    public TarBuilder Fifo(string name) =>
        Add(new PaxTarEntry(TarEntryType.Fifo, name) { Mode = (UnixFileMode)0b110_100_100, ModificationTime = FixedMtime });

    public TarBuilder Add(TarEntry entry)
    {
        _entries.Add(entry);
        return this;
    }

    public byte[] Build()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in _entries)
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }

    /// <summary>A small but realistic root filesystem.</summary>
    public static byte[] SmallRootfs(string marker = "hello") =>
        new TarBuilder()
            .Directory("bin/")
            .File("bin/tool", "#!/bin/sh\necho " + marker + "\n", (UnixFileMode)0b111_101_101)
            .Directory("etc/")
            .File("etc/hostname", marker + "\n")
            .Symlink("bin/sh", "tool")
            .Build();
}

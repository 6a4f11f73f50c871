using System.Formats.Tar;

namespace Wharf.Cli.Commands.Images;

/// <summary>
/// The build context as the daemon wants it: a tar of the context directory (entries owned by root, like docker's
/// CLI sends them, symlinks kept as links), or stdin's tar as is. A Dockerfile that lives outside the context (or came
/// from stdin) is added under a generated name, which is then the one the daemon is told to use.
/// </summary>
internal static class BuildContextArchive
{
    /// <summary>Writes the tar of <paramref name="root"/> to <paramref name="output"/>, plus <paramref name="extraDockerfile"/>
    /// (name, text) when given.</summary>
    public static async Task WriteAsync(string root, Stream output, (string Name, byte[] Content)? extraDockerfile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var path in Walk(root))
            {
                var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                var info = new FileInfo(path);
                PaxTarEntry entry;
                if (info.LinkTarget is { } target)
                {
                    entry = new PaxTarEntry(TarEntryType.SymbolicLink, relative) { LinkName = target };
                }
                else if (Directory.Exists(path))
                {
                    entry = new PaxTarEntry(TarEntryType.Directory, relative + "/");
                }
                else if (info.Exists)
                {
                    entry = new PaxTarEntry(TarEntryType.RegularFile, relative);
                }
                else
                {
                    continue;
                }

                entry.Uid = 0;
                entry.Gid = 0;
                entry.Mode = File.GetUnixFileMode(path);
                entry.ModificationTime = info.LastWriteTimeUtc;
                if (entry.EntryType == TarEntryType.RegularFile)
                {
                    var data = File.OpenRead(path);
                    await using (data.ConfigureAwait(false))
                    {
                        entry.DataStream = data;
                        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            if (extraDockerfile is var (name, content))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    DataStream = new MemoryStream(content, writable: false),
                };
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True when <paramref name="head"/> starts a tar (ustar magic at 257) or a compressed stream the daemon
    /// unpacks (gzip, bzip2, xz); anything else on stdin is a Dockerfile.</summary>
    public static bool LooksLikeArchive(ReadOnlySpan<byte> head) =>
        (head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8))
        || head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b])
        || head.StartsWith("BZh"u8)
        || head.StartsWith((ReadOnlySpan<byte>)[0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]);

    /// <summary>Depth-first, sorted by ordinal name so the same directory always yields the same tar; links not followed.</summary>
    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            yield return path;
            if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                foreach (var child in Walk(path))
                {
                    yield return child;
                }
            }
        }
    }
}

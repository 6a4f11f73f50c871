using System.Formats.Tar;

namespace Wharf.Engine.Containers.Archive;

/// <summary>Writes a file or directory tree as a tar stream (what GET /containers/{id}/archive sends and what
/// copy-up feeds the applier). Symlinks are stored as links, never followed; ownership, modes and times come
/// from the files themselves. Sockets cannot be archived and are skipped.</summary>
public static class TreeArchiver
{
    /// <summary>Archives <paramref name="hostPath"/> with its entries named <paramref name="rebaseName"/>[/...].</summary>
    public static async Task WriteAsync(Stream output, string hostPath, string rebaseName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await WriteEntryAsync(writer, hostPath, rebaseName, ct).ConfigureAwait(false);
        var info = new FileInfo(hostPath);
        if (info.LinkTarget is not null || !Directory.Exists(hostPath)) return;
        var pending = new Stack<(string Host, string Name)>();
        pending.Push((hostPath, rebaseName));
        while (pending.Count > 0)
        {
            var (directory, name) = pending.Pop();
            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal).ToList();
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            var subdirectories = new List<(string, string)>();
            foreach (var child in children)
            {
                var childName = name + "/" + Path.GetFileName(child);
                await WriteEntryAsync(writer, child, childName, ct).ConfigureAwait(false);
                if (new FileInfo(child).LinkTarget is null && Directory.Exists(child)) subdirectories.Add((child, childName));
            }
            for (var i = subdirectories.Count - 1; i >= 0; i--) pending.Push(subdirectories[i]);
        }
    }

    private static async Task WriteEntryAsync(TarWriter writer, string hostPath, string name, CancellationToken ct)
    {
        try
        {
            await writer.WriteEntryAsync(hostPath, name, ct).ConfigureAwait(false);
        }
        catch (IOException) when (!File.Exists(hostPath) && !Directory.Exists(hostPath) && new FileInfo(hostPath).LinkTarget is null)
        {
            // Vanished while we walked (a running container deleted it): Docker skips it too.
        }
        catch (InvalidOperationException)
        {
            // Sockets (and other types tar cannot hold).
        }
    }
}

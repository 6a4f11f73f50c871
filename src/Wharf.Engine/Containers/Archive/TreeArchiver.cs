using System.Formats.Tar;

namespace Wharf.Engine.Containers.Archive;

/// <summary>Writes a file or directory tree as a tar stream (what GET /containers/{id}/archive sends and what
/// copy-up feeds the applier). Symlinks are stored as links, never followed; ownership, modes and times come
/// from the files themselves. Sockets cannot be archived and are skipped.</summary>
public static class TreeArchiver
{
    /// <summary>Archives <paramref name="hostPath"/> with its entries named <paramref name="rebaseName"/>[/...].
    /// Synchronous on purpose: it runs confined to a container's root on a thread of its own (IRootConfinement),
    /// and an await would carry the walk to a thread that is not.</summary>
    public static void Write(Stream output, string hostPath, string rebaseName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        WriteEntry(writer, hostPath, rebaseName, ct);
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
                WriteEntry(writer, child, childName, ct);
                if (new FileInfo(child).LinkTarget is null && Directory.Exists(child)) subdirectories.Add((child, childName));
            }
            for (var i = subdirectories.Count - 1; i >= 0; i--) pending.Push(subdirectories[i]);
        }
    }

    private static void WriteEntry(TarWriter writer, string hostPath, string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            writer.WriteEntry(hostPath, name);
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

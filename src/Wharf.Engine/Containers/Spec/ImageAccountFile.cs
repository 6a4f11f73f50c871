using System.Text;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Archive;

namespace Wharf.Engine.Containers.Spec;

/// <summary>Reads an image's /etc/passwd or /etc/group for the daemon (`-u name`, `--group-add name`, `docker cp -a`,
/// `COPY --chown=name`). The image is not trusted: the file is found by resolving every link inside the root (never
/// out to the host's own /etc/passwd), only a regular file is read, and at most <see cref="MaxBytes"/> of it. A FIFO
/// there would otherwise block the daemon's open() until somebody wrote to it (and with it the container's removal);
/// a device such as /dev/zero would be read forever.
///
/// A running container can change its files while the daemon reads them (exec -u name, cp -a): there the file is
/// read by <see cref="ReadInRootAsync"/>, through a descriptor found confined to the root, its type checked before
/// it is opened. The path-based forms serve trees nothing changes meanwhile: a rootfs before its container starts,
/// a build's layers.</summary>
public static class ImageAccountFile
{
    /// <summary>Real account files are a few KiB; a directory service's full export still fits.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>The text of <paramref name="containerPath"/> inside the root of a container that may be running: null
    /// when absent; empty when it is not a regular file (a FIFO, socket, device or directory is never opened, and
    /// then reads as an empty file does: a name is Docker's "no matching entries", a numeric id still works).
    /// Throws InvalidArgument when larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<string?> ReadInRootAsync(IRootConfinement confinement, string root, string containerPath)
    {
        ArgumentNullException.ThrowIfNull(confinement);
        var file = await confinement.ReadFileAsync(root, containerPath, MaxBytes).ConfigureAwait(false);
        return file.State switch
        {
            RootFileState.Missing => null,
            RootFileState.NotRegular => "",
            RootFileState.TooLarge => throw TooLarge(containerPath),
            _ => Encoding.UTF8.GetString(file.Content),
        };
    }

    /// <summary>The text of <paramref name="containerPath"/> inside <paramref name="root"/>; null when absent (or not a
    /// file). Throws InvalidArgument when it is larger than <see cref="MaxBytes"/> or turns out not to be a regular
    /// file.</summary>
    public static string? ReadInRoot(string root, string containerPath)
    {
        var (hostPath, _) = ContainerPathResolver.Resolve(root, containerPath, followFinal: true);
        return Read(hostPath, containerPath);
    }

    /// <summary>The text of a file already found (a layer directory's etc/passwd): null when absent; as
    /// <see cref="ReadInRoot"/> otherwise. A link is not followed (there is no root to follow it in): it reads as absent.</summary>
    public static string? Read(string hostPath, string shownPath)
    {
        var info = new FileInfo(hostPath);
        if (!info.Exists || info.LinkTarget is not null)
            return null;
        // A FIFO, a socket and a device node have no size: they are never opened, and read as an empty file would.
        // (Only a regular file has content the daemon should parse; opening a FIFO waits for a writer.)
        if (info.Length == 0)
            return "";
        if (info.Length > MaxBytes)
            throw TooLarge(shownPath);
        try
        {
            using var stream = new FileStream(hostPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            // Swapped for something else between the look and the open (a running container can do that).
            if (!stream.CanSeek)
                throw EngineException.Invalid($"{shownPath} in the container is not a regular file");
            var buffer = new byte[Math.Min(info.Length, MaxBytes) + 1];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read > MaxBytes)
                throw TooLarge(shownPath);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // removed meanwhile
        }
    }

    private static EngineException TooLarge(string shownPath) =>
        EngineException.Invalid($"{shownPath} in the container is larger than {MaxBytes} bytes");
}

using Wharf.Core.Host;

namespace Wharf.TestKit;

/// <summary>Runs confined work without a chroot (unit tests run without root): the work gets the root's own path
/// and runs on a thread of its own, as the real one does. Records each root it was asked for. Nothing is confined
/// here: links are followed as the host resolves them (ThreadRootConfinementTests prove the confinement).</summary>
public sealed class RecordingRootConfinement : IRootConfinement
{
    private readonly List<string> _roots = [];

    public IReadOnlyList<string> Roots
    {
        get { lock (_roots) return [.. _roots]; }
    }

    /// <summary>Every BindAsync call: root, path inside it, target.</summary>
    public List<(string Root, string Path, string Target)> Binds { get; } = [];

    /// <summary>Records the bind; mounts nothing (no root here).</summary>
    public Task BindAsync(string root, string path, string target)
    {
        lock (Binds) Binds.Add((root, path, target));
        return Task.CompletedTask;
    }

    /// <summary>Every MountOntoAsync call: root, path inside it, source, read-only.</summary>
    public List<(string Root, string Path, string Source, bool ReadOnly)> MountsOnto { get; } = [];

    /// <summary>Records the mount; mounts nothing (no root here).</summary>
    public Task MountOntoAsync(string root, string path, string source, bool readOnly)
    {
        lock (MountsOnto) MountsOnto.Add((root, path, source, readOnly));
        return Task.CompletedTask;
    }

    /// <summary>Every ReadFileAsync call: root and path inside it.</summary>
    public List<(string Root, string Path)> Reads { get; } = [];

    /// <summary>Reads like the real one, by managed checks: a directory is not regular, and so is an empty file (a
    /// FIFO, a socket and a device have no size; an empty regular file's text is the same), so nothing that could
    /// block is opened.</summary>
    public Task<RootFile> ReadFileAsync(string root, string path, int maxBytes)
    {
        lock (Reads) Reads.Add((root, path));
        var file = new FileInfo(Path.Combine(root, path.TrimStart('/')));
        if (Directory.Exists(file.FullName)) return Task.FromResult(RootFile.NotRegular);
        if (!file.Exists) return Task.FromResult(RootFile.Missing);
        if (file.Length == 0) return Task.FromResult(RootFile.NotRegular);
        if (file.Length > maxBytes) return Task.FromResult(RootFile.TooLarge);
        return Task.FromResult(new RootFile(RootFileState.Regular, File.ReadAllBytes(file.FullName)));
    }

    public Task<T> RunAsync<T>(string root, Func<string, T> work)
    {
        lock (_roots) _roots.Add(root);
        return Task.Factory.StartNew(() => work(root), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}

using Wharf.Core.Host;

namespace Wharf.TestKit;

/// <summary>Runs confined work without a chroot (unit tests run without root): the work gets the root's own path
/// and runs on a thread of its own, as the real one does. Records each root it was asked for.</summary>
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

    public Task<T> RunAsync<T>(string root, Func<string, T> work)
    {
        lock (_roots) _roots.Add(root);
        return Task.Factory.StartNew(() => work(root), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}

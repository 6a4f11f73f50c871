using Wharf.Core.Shim;
using Wharf.Core;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Archive;
using Wharf.Engine.Containers.FileSystem;
using Wharf.Engine.Containers.Io;
using Wharf.Engine.Containers.Lifecycle;
using Wharf.Engine.Containers.Logs;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Containers.Networking;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Execs;
using Wharf.Engine.Layers;
using Wharf.Engine.Networks;
using Wharf.Engine.Volumes;

namespace Wharf.Engine.Containers;

/// <summary>The container subsystem as the API sees it: one entry point that hands every call to the service that
/// owns it — records (<see cref="ContainerStore"/>), creation (<see cref="ContainerCreator"/>), life (<see cref="ContainerLifecycle"/>), execs, standard
/// streams and logs, the filesystem, resources and networking. It decides nothing itself; new code may take the
/// owning service directly.</summary>
public sealed class ContainerService(ContainerStore store, ContainerEvents events, ContainerCreator creator, ContainerLifecycle lifecycle, ContainerExecService execs,
    ContainerIo io, ContainerFileSystem fileSystem, ContainerResources resources, ContainerNetworking networking, ContainerMounts mounts) : IDisposable
{
    // Records.
    /// <summary>The store itself, for the engine's own tests (which stage states no fake can bring about).</summary>
    internal ContainerStore Store => store;

    // Records: readers get snapshots (what the last committed change left, never a change half made).
    /// <summary>Every container, newest first.</summary>
    public IReadOnlyList<ContainerSnapshot> List() => store.List();
    /// <summary>Resolves a full id, a name (with or without '/') or a unique id prefix, as Docker does.</summary>
    public ContainerSnapshot Get(string nameOrId) => store.Get(nameOrId);
    public bool TryGet(string nameOrId, out ContainerSnapshot snapshot) => store.TryGet(nameOrId, out snapshot);
    /// <summary>True when any container (running or not) was created from the image.</summary>
    public bool IsImageInUse(string imageId) => store.IsImageInUse(imageId);
    public ContainerPaths PathsOf(ContainerSnapshot snapshot) => store.PathsOf(snapshot);
    /// <summary>A container event from outside the container services (commit, in Images), with the container's
    /// usual attributes.</summary>
    internal void PublishEvent(ContainerSnapshot snapshot, string action, params (string Key, string Value)[] extra) => events.Publish(snapshot, action, extra);

    // Lifecycle.
    public ContainerSnapshot Create(ContainerCreateParams request) => creator.Create(request);
    public IReadOnlyList<string> CapabilityWarnings(HostSettings host) => creator.CapabilityWarnings(host);
    public IReadOnlyList<string> DiscardUnsupportedResources(HostSettings host) => creator.DiscardUnsupportedResources(host);
    public static IReadOnlyList<string> NetworkModeWarnings(HostSettings host) => ContainerNetworking.NetworkModeWarnings(host);
    public Task StartAsync(string nameOrId, CancellationToken ct) => lifecycle.StartAsync(nameOrId, ct);
    public Task StopAsync(string nameOrId, int? timeoutSeconds, string? signal, CancellationToken ct) => lifecycle.StopAsync(nameOrId, timeoutSeconds, signal, ct);
    public Task KillAsync(string nameOrId, string? signal, CancellationToken ct) => lifecycle.KillAsync(nameOrId, signal, ct);
    public Task RestartAsync(string nameOrId, int? timeoutSeconds, string? signal, CancellationToken ct) => lifecycle.RestartAsync(nameOrId, timeoutSeconds, signal, ct);
    public Task PauseAsync(string nameOrId, CancellationToken ct) => lifecycle.PauseAsync(nameOrId, ct);
    public Task UnpauseAsync(string nameOrId, CancellationToken ct) => lifecycle.UnpauseAsync(nameOrId, ct);
    public Task<WaitResult> WaitAsync(string nameOrId, WaitCondition condition, CancellationToken ct) => lifecycle.WaitAsync(nameOrId, condition, ct);
    public Task RemoveAsync(string nameOrId, bool force, CancellationToken ct) => lifecycle.RemoveAsync(nameOrId, force, ct);
    public Task RemoveAsync(string nameOrId, bool force, bool removeVolumes, CancellationToken ct) => lifecycle.RemoveAsync(nameOrId, force, removeVolumes, ct);
    public Task<IReadOnlyList<string>> PruneAsync(Func<ContainerSnapshot, bool> matches, CancellationToken ct) => lifecycle.PruneAsync(matches, ct);
    public Task RenameAsync(string nameOrId, string newName, CancellationToken ct) => lifecycle.RenameAsync(nameOrId, newName, ct);
    public Task RestoreAsync(CancellationToken ct) => lifecycle.RestoreAsync(ct);
    public (int Running, int Paused, int Stopped) CountByState() => lifecycle.CountByState();

    // Exec.
    public ExecRecord CreateExec(string nameOrId, ExecCreateParams parameters) => execs.CreateExec(nameOrId, parameters);
    public ExecRecord GetExec(string execId) => execs.GetExec(execId);
    public Task<ExecSession> StartExecAsync(string execId, bool detach, (int Height, int Width)? consoleSize, CancellationToken ct) => execs.StartExecAsync(execId, detach, consoleSize, ct);
    public Task ResizeExecAsync(string execId, int height, int width, CancellationToken ct) => execs.ResizeExecAsync(execId, height, width, ct);
    public Task<ExecOutcome> RunProbeAsync(string containerId, IReadOnlyList<string> cmd, TimeSpan timeout, CancellationToken ct) => execs.RunProbeAsync(containerId, cmd, timeout, ct);

    // Standard streams and logs.
    public Task<Stream> AttachAsync(string nameOrId, bool stdin, bool stdout, bool stderr, CancellationToken ct) => io.AttachAsync(nameOrId, stdin, stdout, stderr, ct);
    public Task<Task<Stream>> BeginAttachAsync(string nameOrId, bool stdin, bool stdout, bool stderr, CancellationToken ct) => io.BeginAttachAsync(nameOrId, stdin, stdout, stderr, ct);
    public Task ResizeAsync(string nameOrId, int height, int width, CancellationToken ct) => io.ResizeAsync(nameOrId, height, width, ct);
    public void PublishDetach(string nameOrId) => io.PublishDetach(nameOrId);
    public string? LogFileOf(ContainerSnapshot record) => io.LogFileOf(record);
    public void EnsureLogsReadable(string nameOrId) => io.EnsureLogsReadable(nameOrId);
    public IAsyncEnumerable<JsonLogEntry> ReadLogsAsync(string nameOrId, LogQuery query, CancellationToken ct) => io.ReadLogsAsync(nameOrId, query, ct);

    // Filesystem.
    public Task<PathStat> StatPathAsync(string nameOrId, string path, CancellationToken ct) => fileSystem.StatPathAsync(nameOrId, path, ct);
    public Task ArchiveAsync(string nameOrId, string path, Func<PathStat, Stream> begin, CancellationToken ct) => fileSystem.ArchiveAsync(nameOrId, path, begin, ct);
    public Task ExtractArchiveAsync(string nameOrId, string path, Stream tar, bool noOverwriteDirNonDir, CancellationToken ct) => fileSystem.ExtractArchiveAsync(nameOrId, path, tar, noOverwriteDirNonDir, ct);
    public Task ExtractArchiveAsync(string nameOrId, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken ct) => fileSystem.ExtractArchiveAsync(nameOrId, path, tar, noOverwriteDirNonDir, copyUidGid, ct);
    public IReadOnlyList<FileChange> Changes(string nameOrId) => fileSystem.Changes(nameOrId);
    public Task ExportAsync(string nameOrId, Stream output, CancellationToken ct) => fileSystem.ExportAsync(nameOrId, output, ct);
    public long WritableLayerSize(ContainerSnapshot record) => fileSystem.WritableLayerSize(record);
    public Digest? StoreWritableLayer(string nameOrId) => fileSystem.StoreWritableLayer(nameOrId);

    // Resources.
    public Task<IReadOnlyList<string>> UpdateAsync(string nameOrId, ContainerUpdate update, CancellationToken ct) => resources.UpdateAsync(nameOrId, update, ct);
    public Task<PsTable> TopAsync(string nameOrId, string? psArgs, CancellationToken ct) => resources.TopAsync(nameOrId, psArgs, ct);
    public CgroupSample? SampleStats(ContainerSnapshot record) => resources.SampleStats(record);
    public string CgroupsPathOf(ContainerSnapshot record) => resources.CgroupsPathOf(record);

    // Networking and volumes.
    public NetworkService? Networks => networking.Networks;
    public Task ConnectNetworkAsync(string containerNameOrId, string networkNameOrId, EndpointRequest request, CancellationToken ct) => networking.ConnectNetworkAsync(containerNameOrId, networkNameOrId, request, ct);
    public Task RemoveLinkAsync(string parentNameOrId, string alias, CancellationToken ct) => networking.RemoveLinkAsync(parentNameOrId, alias, ct);
    public Task DisconnectNetworkAsync(string containerNameOrId, string networkNameOrId, bool force, CancellationToken ct) => networking.DisconnectNetworkAsync(containerNameOrId, networkNameOrId, force, ct);
    public VolumeService Volumes => mounts.Volumes;
    public IReadOnlyList<string> ContainersUsing(string volumeName) => mounts.ContainersUsing(volumeName);

    public void Dispose()
    {
        lifecycle.Dispose();
        execs.Dispose();
    }
}

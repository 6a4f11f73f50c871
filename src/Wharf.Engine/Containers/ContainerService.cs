using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Events;
using Wharf.Engine.Images;
using Wharf.Core.Shim;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Storage;
using Wharf.Engine.Volumes;

namespace Wharf.Engine.Containers;

/// <summary>Owns every container: its record, its lifecycle (create, start, stop, kill, remove, wait) and the
/// link to its shim. One instance per daemon. Lifecycle operations on one container are serialised by that
/// container's gate; look-ups take the short global lock only.</summary>
public sealed partial class ContainerService : IDisposable
{
    private readonly EngineOptions _options;
    private readonly ImageService _images;
    private readonly OverlaySnapshotter _snapshots;
    private readonly IMountOps _mounts;
    private readonly IShimClient _shims;
    private readonly EventBus _events;
    private readonly TimeProvider _time;
    private readonly IFileSystemOps _fileOps;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ContainerEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByName = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();

    public ContainerService(EngineOptions options, ImageService images, OverlaySnapshotter snapshots, IMountOps mounts,
        IShimClient shims,
        VolumeService volumes, IFileSystemOps fileOps, EventBus events, TimeProvider time, ILogger<ContainerService>? log = null)
    {
        _options = options;
        _images = images;
        _snapshots = snapshots;
        _mounts = mounts;
        _shims = shims;
        ArgumentNullException.ThrowIfNull(volumes);
        Volumes = volumes;
        _fileOps = fileOps;
        _events = events;
        _time = time;
        _log = log ?? NullLogger<ContainerService>.Instance;
        Directory.CreateDirectory(Path.Combine(options.DataRoot, "containers"));
        Directory.CreateDirectory(Path.Combine(options.ExecRoot, "containers"));
        // Volumes ask us which containers use them (rm, prune, df).
        volumes.AttachUsers(this);
    }

    /// <summary>Snapshot copies of every record, for listing.</summary>
    public IReadOnlyList<ContainerRecord> List()
    {
        lock (_gate) return _byId.Values.Select(e => e.Record).OrderByDescending(r => r.Created).ToList();
    }

    /// <summary>Resolves a full id, a name (with or without '/') or a unique id prefix, as Docker does.</summary>
    public ContainerRecord Get(string nameOrId) => Find(nameOrId).Record;

    public bool TryGet(string nameOrId, out ContainerRecord record)
    {
        lock (_gate)
        {
            if (TryFindLocked(nameOrId, out var entry)) { record = entry.Record; return true; }
        }
        record = null!;
        return false;
    }

    /// <summary>True when any container (running or not) was created from the image.</summary>
    public bool IsImageInUse(string imageId)
    {
        lock (_gate) return _byId.Values.Any(e => e.Record.ImageId == imageId);
    }

    public ContainerPaths PathsOf(ContainerRecord record) => new(_options.DataRoot, _options.ExecRoot, record.Id);

    private ContainerEntry Find(string nameOrId)
    {
        lock (_gate)
        {
            return TryFindLocked(nameOrId, out var entry) ? entry : throw EngineException.NoSuchContainer(nameOrId);
        }
    }

    private bool TryFindLocked(string nameOrId, out ContainerEntry entry)
    {
        entry = null!;
        if (string.IsNullOrEmpty(nameOrId)) return false;
        if (_byId.TryGetValue(nameOrId, out entry!)) return true;
        if (_idByName.TryGetValue(nameOrId.TrimStart('/'), out var id)) { entry = _byId[id]; return true; }
        var matches = _byId.Keys.Where(k => k.StartsWith(nameOrId, StringComparison.Ordinal)).Take(2).ToList();
        if (matches.Count > 1)
            throw EngineException.Invalid($"multiple IDs found with provided prefix: {nameOrId}");
        if (matches.Count == 1) { entry = _byId[matches[0]]; return true; }
        return false;
    }

    private void Persist(ContainerRecord record)
    {
        var paths = PathsOf(record);
        AtomicFile.Write(paths.RecordFile, JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord));
    }

    /// <summary>A container event from outside the container services (commit, in Images), with the container's
    /// usual attributes.</summary>
    internal void PublishEvent(ContainerRecord record, string action, params (string Key, string Value)[] extra) => Publish(record, action, extra);

    private void Publish(ContainerRecord record, string action, params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in record.Config.Labels) attributes[k] = v;
        attributes["image"] = record.Config.Image;
        attributes["name"] = record.Name;
        foreach (var (k, v) in extra) attributes[k] = v;
        _events.Publish("container", action, record.Id, attributes);
    }

    public void Dispose()
    {
        // Containers outlive the daemon (their shims keep them); only our watchers stop here. Idempotent: the
        // composition root and tests may both dispose.
        if (_shutdown.IsCancellationRequested) return;
        _shutdown.Cancel();
    }

    /// <summary>Per-container runtime bookkeeping that is not persisted.</summary>
    private sealed class ContainerEntry(ContainerRecord record)
    {
        public ContainerRecord Record { get; } = record;
        public SemaphoreSlim Gate { get; } = new(1, 1);
        /// <summary>Completed with the next exit; replaced by a fresh one at every exit.</summary>
        public TaskCompletionSource<WaitResult> NextExit { get; set; } = NewWaiter<WaitResult>();
        public TaskCompletionSource<WaitResult> Removed { get; } = NewWaiter<WaitResult>();
        public ConcurrentQueue<PendingAttach> PendingAttaches { get; } = new();
        public bool RemovalInProgress { get; set; }
        /// <summary>docker rm -v: the anonymous volumes go with the container.</summary>
        public bool RemoveVolumes { get; set; }
    }

    private static TaskCompletionSource<T> NewWaiter<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Host;
using Wharf.Core.Shim;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Containers.Io;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Containers.Networking;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Containers.Lifecycle;

/// <summary>A container's life: create, start, stop, kill, restart, pause, wait, remove, and the restart policy;
/// at daemon start the reconnection to running containers. Operations on one container are serialised by its gate
/// in the store. What a run holds besides its rootfs (volumes, network endpoints) is acquired through the
/// participants and released through them, in their order, at every exit and failed start.</summary>
public sealed partial class ContainerLifecycle : IDisposable
{
    private readonly EngineOptions _options;
    private readonly ContainerStore _store;
    private readonly ContainerEvents _events;
    private readonly ImageService _images;
    private readonly OverlaySnapshotter _snapshots;
    private readonly IMountOps _mounts;
    private readonly IShimClient _shims;
    private readonly TimeProvider _time;
    private readonly ContainerNetworking _networking;
    private readonly ContainerMounts _volumeMounts;
    private readonly ContainerHealth _health;
    private readonly ContainerIo _io;
    private readonly IRuntimeControl? _runtime;
    private readonly IContainerParticipant[] _participants;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _shutdown = new();

    /// <param name="runtime">pause/resume of running containers (runc); null in a daemon without one.</param>
    public ContainerLifecycle(EngineOptions options, ContainerStore store, ContainerEvents events, ImageService images,
        OverlaySnapshotter snapshots, IMountOps mounts, IShimClient shims, TimeProvider time,
        ContainerNetworking networking, ContainerMounts volumeMounts, ContainerHealth health, ContainerIo io,
        IRuntimeControl? runtime = null, ILogger<ContainerLifecycle>? log = null)
    {
        _options = options;
        _store = store;
        _events = events;
        _images = images;
        _snapshots = snapshots;
        _mounts = mounts;
        _shims = shims;
        _time = time;
        _networking = networking;
        _volumeMounts = volumeMounts;
        _health = health;
        _io = io;
        _runtime = runtime;
        // Docker's order: volumes are given back before the network.
        _participants = [volumeMounts, networking];
        _log = log ?? NullLogger<ContainerLifecycle>.Instance;
    }

    public void Dispose()
    {
        // Containers outlive the daemon (their shims keep them); only our watchers stop here. Idempotent: the
        // composition root and tests may both dispose.
        if (_shutdown.IsCancellationRequested) return;
        _shutdown.Cancel();
    }

    private ContainerEntry Find(string nameOrId) => _store.Find(nameOrId);

    private ContainerPaths PathsOf(ContainerRecord record) => _store.PathsOf(record);

    private void Persist(ContainerRecord record) => _store.Persist(record);

    private void Publish(ContainerRecord record, string action, params (string Key, string Value)[] extra) => _events.Publish(record, action, extra);
}

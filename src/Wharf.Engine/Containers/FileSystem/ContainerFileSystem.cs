using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Volumes;

namespace Wharf.Engine.Containers.FileSystem;

/// <summary>A container's filesystem seen from outside: docker cp (stat, read, write paths), diff, export, and
/// the writable layer's size and content (for ps -s, system df, commit and the builder).</summary>
public sealed partial class ContainerFileSystem
{
    private readonly EngineOptions _options;
    private readonly ContainerStore _store;
    private readonly ImageService _images;
    private readonly OverlaySnapshotter _snapshots;
    private readonly IMountOps _mounts;
    private readonly IFileSystemOps _fileOps;
    private readonly IRootConfinement _confinement;
    private readonly VolumeService _volumes;
    private readonly ILogger _log;

    public ContainerFileSystem(EngineOptions options, ContainerStore store, ImageService images, OverlaySnapshotter snapshots,
        IMountOps mounts, IFileSystemOps fileOps, IRootConfinement confinement, VolumeService volumes, ILogger<ContainerFileSystem>? log = null)
    {
        _options = options;
        _store = store;
        _images = images;
        _snapshots = snapshots;
        _mounts = mounts;
        _fileOps = fileOps;
        _confinement = confinement;
        _volumes = volumes;
        _log = log ?? NullLogger<ContainerFileSystem>.Instance;
    }

    private ContainerEntry Find(string nameOrId) => _store.Find(nameOrId);

    private ContainerSnapshot Get(string nameOrId) => _store.Get(nameOrId);

    private ContainerPaths PathsOf(ContainerRecord record) => _store.PathsOf(record);
}

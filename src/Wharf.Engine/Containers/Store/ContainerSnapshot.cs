using System.Text.Json;
using Wharf.Engine.Containers.Mounts;

namespace Wharf.Engine.Containers.Store;

/// <summary>One container as its last committed change left it: what list/ps, inspect, filters, events and every
/// other reader get from the <see cref="ContainerStore"/>. It is built from the very bytes written to
/// config.v2.json (see <see cref="ContainerStore.Persist"/>), so it is exactly what is on disk, and it is replaced,
/// never changed: a reader holding one never sees a later change, nor a change half made (moby's ViewDB does the
/// same with its memdb replica).
/// <para>The nested <see cref="Config"/>, <see cref="Host"/> and <see cref="State"/> objects are this snapshot's
/// own copies, shared by every reader of the same version: treat them as read-only.</para></summary>
public sealed class ContainerSnapshot
{
    private readonly ContainerRecord _copy;

    private ContainerSnapshot(ContainerRecord copy, long version)
    {
        _copy = copy;
        Version = version;
    }

    /// <summary>Grows with every change published by the store (0 for a snapshot made with <see cref="Of"/>).</summary>
    public long Version { get; }

    public string Id => _copy.Id;
    /// <summary>Without the leading slash.</summary>
    public string Name => _copy.Name;
    public DateTimeOffset Created => _copy.Created;
    /// <summary>"sha256:..." of the image the container was created from.</summary>
    public string ImageId => _copy.ImageId;
    public ContainerConfig Config => _copy.Config;
    public HostSettings Host => _copy.Host;
    public ContainerState State => _copy.State;
    public string Path => _copy.Path;
    public IReadOnlyList<string> Args => _copy.Args;
    public int RestartCount => _copy.RestartCount;
    public bool HasBeenManuallyStopped => _copy.HasBeenManuallyStopped;
    public bool HasBeenStartedBefore => _copy.HasBeenStartedBefore;
    public IReadOnlyList<MountPointRecord> MountPoints => _copy.MountPoints;
    public string ShortId => _copy.ShortId;

    /// <summary>A snapshot of a record that no store holds (tests, tools): a deep copy, unaffected by later
    /// changes to <paramref name="record"/>.</summary>
    public static ContainerSnapshot Of(ContainerRecord record) => FromCommitted(Serialize(record), version: 0);

    internal static byte[] Serialize(ContainerRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, EngineJsonContext.Default.ContainerRecord);

    /// <summary>The snapshot of a committed change, from the bytes that were (or are about to be) written.</summary>
    internal static ContainerSnapshot FromCommitted(byte[] utf8Json, long version) =>
        new(JsonSerializer.Deserialize(utf8Json, EngineJsonContext.Default.ContainerRecord)
            ?? throw new InvalidOperationException("a container record serialised to null"), version);
}

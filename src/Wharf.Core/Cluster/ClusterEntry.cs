using System.Text;

namespace Wharf.Core.Cluster;

/// <summary>One key as the store holds it. <see cref="CreateRevision"/> is the revision that created the key (it
/// changes when a key is deleted and made again), <see cref="ModRevision"/> the revision of its last write,
/// <see cref="Version"/> the number of writes since it was created, <see cref="Lease"/> 0 when the key has none.</summary>
public sealed record ClusterEntry(string Key, byte[] Value, long CreateRevision, long ModRevision, long Version, long Lease)
{
    public string ValueText => Encoding.UTF8.GetString(Value);
}

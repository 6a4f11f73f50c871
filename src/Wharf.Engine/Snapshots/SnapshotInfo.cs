using System.Text.Json.Serialization;

namespace Wharf.Engine.Snapshots;

/// <summary>The small metadata file beside each extracted layer (snapshots/&lt;chain-hex&gt;/snapshot.json).</summary>
internal sealed record SnapshotInfo(
    [property: JsonPropertyName("chainId")] string ChainId,
    [property: JsonPropertyName("diffId")] string DiffId,
    [property: JsonPropertyName("parent")] string? Parent,
    [property: JsonPropertyName("size")] long Size);

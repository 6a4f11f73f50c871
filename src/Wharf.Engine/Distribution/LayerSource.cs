using Wharf.Core;

namespace Wharf.Engine.Distribution;

/// <summary>Where a layer (known locally by its diff id) is stored as a blob: on registry <paramref name="Registry"/>
/// in <paramref name="Repository"/>, as <paramref name="Blob"/> of <paramref name="MediaType"/> and
/// <paramref name="Size"/> bytes (compressed).</summary>
public sealed record LayerSource(string Registry, string Repository, Digest Blob, string MediaType, long Size);

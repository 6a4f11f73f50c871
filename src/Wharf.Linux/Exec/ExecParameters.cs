using System.Text.Json.Serialization;
using Wharf.Core.Oci;

namespace Wharf.Linux.Exec;

/// <summary>What the shim sends the in-container exec helper over its parameter pipe (fd 3): the exec's process,
/// the namespaces to join (opened before any is joined, mount namespace last), the container's seccomp profile
/// (from its config.json, as runc takes it from its state), and the container id (runc's session keyring name).</summary>
public sealed record ExecParameters
{
    [JsonPropertyName("process")] public required SpecProcess Process { get; init; }
    /// <summary>/proc/&lt;init&gt;/ns/&lt;type&gt; paths, mount namespace last.</summary>
    [JsonPropertyName("namespaces")] public required IReadOnlyList<string> Namespaces { get; init; }
    [JsonPropertyName("seccomp")] public SpecSeccomp? Seccomp { get; init; }
    [JsonPropertyName("containerId")] public required string ContainerId { get; init; }
    /// <summary>The CONTAINER's oomScoreAdj: runc 1.1 writes its container config's value for an exec too.</summary>
    [JsonPropertyName("oomScoreAdj")] public int? OomScoreAdj { get; init; }
}

[JsonSerializable(typeof(ExecParameters))]
public sealed partial class ExecJsonContext : JsonSerializerContext;

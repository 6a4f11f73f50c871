using System.Text.Json.Serialization;

namespace Wharf.Core.Oci;

/// <summary>linux.seccomp of the OCI runtime spec: the filter runc loads before exec'ing the container process.</summary>
public sealed record SpecSeccomp
{
    [JsonPropertyName("defaultAction")] public required string DefaultAction { get; init; }
    /// <summary>The errno for an ERRNO default action (Docker: EPERM); null = runc's own default.</summary>
    [JsonPropertyName("defaultErrnoRet"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? DefaultErrnoRet { get; init; }
    [JsonPropertyName("architectures"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Architectures { get; init; }
    [JsonPropertyName("flags"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Flags { get; init; }
    [JsonPropertyName("syscalls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecSyscall>? Syscalls { get; init; }
}

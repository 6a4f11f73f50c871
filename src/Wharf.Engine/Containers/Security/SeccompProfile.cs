using System.Text.Json.Serialization;

namespace Wharf.Engine.Containers.Security;

/// <summary>A seccomp profile in Docker's format (what `--security-opt seccomp=profile.json` carries): the OCI
/// fields plus Docker's conditions (includes/excludes by capability, architecture and kernel) that are
/// resolved per container into a plain OCI filter.</summary>
public sealed class SeccompProfile
{
    [JsonPropertyName("defaultAction")] public string DefaultAction { get; set; } = "";
    [JsonPropertyName("defaultErrnoRet")] public uint? DefaultErrnoRet { get; set; }
    [JsonPropertyName("architectures")] public List<string>? Architectures { get; set; }
    [JsonPropertyName("archMap")] public List<SeccompArchMap>? ArchMap { get; set; }
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
    [JsonPropertyName("syscalls")] public List<SeccompRule>? Syscalls { get; set; }
}

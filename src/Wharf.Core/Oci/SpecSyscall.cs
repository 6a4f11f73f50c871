using System.Text.Json.Serialization;

namespace Wharf.Core.Oci;

/// <summary>One seccomp rule: an action for a set of syscall names, optionally only when every arg condition holds.</summary>
public sealed record SpecSyscall
{
    [JsonPropertyName("names")] public required IReadOnlyList<string> Names { get; init; }
    [JsonPropertyName("action")] public required string Action { get; init; }
    [JsonPropertyName("errnoRet"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? ErrnoRet { get; init; }
    [JsonPropertyName("args"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SpecSyscallArg>? Args { get; init; }
}

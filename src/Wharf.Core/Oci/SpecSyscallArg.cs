using System.Text.Json.Serialization;

namespace Wharf.Core.Oci;

/// <summary>A condition on one syscall argument (op: SCMP_CMP_EQ, SCMP_CMP_NE, SCMP_CMP_MASKED_EQ, ...).</summary>
public sealed record SpecSyscallArg
{
    [JsonPropertyName("index")] public uint Index { get; init; }
    [JsonPropertyName("value")] public ulong Value { get; init; }
    [JsonPropertyName("valueTwo"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong ValueTwo { get; init; }
    [JsonPropertyName("op")] public required string Op { get; init; }
}

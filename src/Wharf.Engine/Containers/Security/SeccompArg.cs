using System.Text.Json.Serialization;

namespace Wharf.Engine.Containers.Security;

/// <summary>A condition on one syscall argument, as Docker's profile writes it.</summary>
public sealed class SeccompArg
{
    [JsonPropertyName("index")] public uint Index { get; set; }
    [JsonPropertyName("value")] public ulong Value { get; set; }
    [JsonPropertyName("valueTwo")] public ulong ValueTwo { get; set; }
    [JsonPropertyName("op")] public string Op { get; set; } = "";
}

using System.Text.Json.Serialization;

namespace Wharf.Engine.Containers.Security;

/// <summary>A native architecture and the compat ones its kernel also runs (x86_64: x86 and x32).</summary>
public sealed class SeccompArchMap
{
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "";
    [JsonPropertyName("subArchitectures")] public List<string>? SubArchitectures { get; set; }
}

using System.Text.Json.Serialization;

namespace Wharf.Engine.Containers.Security;

/// <summary>When a rule applies: every listed capability held (includes) / none held (excludes), the native
/// architecture among the listed ones, the kernel at least MinKernel ("4.8").</summary>
public sealed class SeccompFilter
{
    [JsonPropertyName("caps")] public List<string>? Caps { get; set; }
    [JsonPropertyName("arches")] public List<string>? Arches { get; set; }
    [JsonPropertyName("minKernel")] public string? MinKernel { get; set; }
}

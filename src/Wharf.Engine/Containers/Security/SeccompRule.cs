using System.Text.Json.Serialization;

namespace Wharf.Engine.Containers.Security;

/// <summary>One rule of a Docker seccomp profile. "name" (old form) and "names" are both accepted.</summary>
public sealed class SeccompRule
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("names")] public List<string>? Names { get; set; }
    [JsonPropertyName("action")] public string Action { get; set; } = "";
    [JsonPropertyName("errnoRet")] public uint? ErrnoRet { get; set; }
    [JsonPropertyName("args")] public List<SeccompArg>? Args { get; set; }
    [JsonPropertyName("comment")] public string? Comment { get; set; }
    [JsonPropertyName("includes")] public SeccompFilter? Includes { get; set; }
    [JsonPropertyName("excludes")] public SeccompFilter? Excludes { get; set; }
}

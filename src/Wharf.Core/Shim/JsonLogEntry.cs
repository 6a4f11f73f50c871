using System.Text.Json.Serialization;

namespace Wharf.Core.Shim;

/// <summary>One line of Docker's json-file log driver: {"log":"hi\n","stream":"stdout","time":"2026-...Z"}.</summary>
public sealed record JsonLogEntry
{
    [JsonPropertyName("log")] public required string Log { get; init; }
    [JsonPropertyName("stream")] public required string Stream { get; init; }
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }
    /// <summary>Extra attributes from --log-opt labels/env (docker logs --details shows them).</summary>
    [JsonPropertyName("attrs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Attrs { get; init; }
}

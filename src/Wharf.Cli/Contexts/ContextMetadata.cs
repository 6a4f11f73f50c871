using System.Text.Json.Serialization;

namespace Wharf.Cli.Contexts;

/// <summary>meta.json of one context, field for field as the docker CLI writes it.</summary>
internal sealed class ContextMetadata
{
    public string Name { get; set; } = "";

    public ContextDescription Metadata { get; set; } = new();

    public Dictionary<string, ContextEndpointMetadata> Endpoints { get; set; } = [];
}

internal sealed class ContextDescription
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Description { get; set; }
}

internal sealed class ContextEndpointMetadata
{
    public string Host { get; set; } = "";

    [JsonPropertyName("SkipTLSVerify")]
    public bool SkipTlsVerify { get; set; }
}

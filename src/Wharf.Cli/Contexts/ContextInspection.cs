namespace Wharf.Cli.Contexts;

/// <summary>What `context inspect` prints for one context (docker's shape).</summary>
internal sealed class ContextInspection
{
    public string Name { get; set; } = "";

    public ContextDescription Metadata { get; set; } = new();

    public Dictionary<string, ContextEndpointMetadata> Endpoints { get; set; } = [];

    public Dictionary<string, List<string>> TLSMaterial { get; set; } = [];

    public ContextStorage Storage { get; set; } = new();
}

internal sealed class ContextStorage
{
    public string MetadataPath { get; set; } = "";

    public string TLSPath { get; set; } = "";
}

namespace Wharf.Api.Client;

/// <summary>Query of POST /build (the legacy builder's parameters, as the docker CLI sends them).</summary>
public sealed record ImageBuildOptions
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Path of the Dockerfile inside the context tar.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>Build args: a null value means "take it from the environment of the build" (docker sends null).</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Target { get; init; }

    public bool NoCache { get; init; }

    public bool Pull { get; init; }

    public bool Quiet { get; init; }

    public bool Remove { get; init; } = true;

    public bool ForceRemove { get; init; }

    public string? NetworkMode { get; init; }

    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    public string? Platform { get; init; }
}

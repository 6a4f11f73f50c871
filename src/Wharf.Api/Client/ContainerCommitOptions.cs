namespace Wharf.Api.Client;

/// <summary>Query of POST /commit besides the container.</summary>
public sealed record ContainerCommitOptions
{
    public string? Repository { get; init; }

    public string? Tag { get; init; }

    public string? Message { get; init; }

    public string? Author { get; init; }

    public bool Pause { get; init; } = true;

    public IReadOnlyList<string> Changes { get; init; } = [];
}

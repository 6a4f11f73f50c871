namespace Wharf.Api.Client;

/// <summary>Query of GET /containers/{id}/logs; Since/Until are unix timestamps ("1700000000.000000000").</summary>
public sealed record ContainerLogsOptions
{
    public bool Follow { get; init; }

    public bool Details { get; init; }

    public bool Timestamps { get; init; }

    public bool Stdout { get; init; } = true;

    public bool Stderr { get; init; } = true;

    public string Tail { get; init; } = "all";

    public string? Since { get; init; }

    public string? Until { get; init; }
}

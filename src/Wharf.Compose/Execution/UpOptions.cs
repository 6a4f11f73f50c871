namespace Wharf.Compose.Execution;

public sealed class UpOptions
{
    public List<string> Services { get; init; } = [];

    public bool Build { get; init; }

    public bool NoBuild { get; init; }

    public bool Wait { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public Dictionary<string, int> Scale { get; init; } = new(StringComparer.Ordinal);

    public bool RemoveOrphans { get; init; }

    /// <summary>COMPOSE_IGNORE_ORPHANS: neither warn about nor remove containers of services no longer in the project.</summary>
    public bool IgnoreOrphans { get; init; }

    public bool NoDeps { get; init; }

    public bool ForceRecreate { get; init; }

    public bool NoRecreate { get; init; }

    /// <summary>create: make containers but do not start them.</summary>
    public bool NoStart { get; init; }

    /// <summary>"never" | "missing" | "always" (--pull); null follows each service's pull_policy.</summary>
    public string? Pull { get; init; }
}

namespace Wharf.Compose.Model;

/// <summary>A top-level secret or config: from a file (absolute path), an environment variable or inline content.</summary>
public sealed class FileObjectConfig
{
    public string Name { get; set; } = "";

    public string? File { get; set; }

    public string? Environment { get; set; }

    /// <summary>The value of <see cref="Environment"/> when the project was loaded (shell, then .env); null if unset.</summary>
    public string? EnvironmentValue { get; set; }

    public string? Content { get; set; }

    public bool External { get; set; }
}

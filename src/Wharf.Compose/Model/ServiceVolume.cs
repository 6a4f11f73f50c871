namespace Wharf.Compose.Model;

/// <summary>A service mount in long syntax: type volume (Source = project volume name or null for
/// anonymous), bind (Source = absolute host path) or tmpfs.</summary>
public sealed record ServiceVolume(string Type, string? Source, string Target, bool ReadOnly = false)
{
    public bool CreateHostPath { get; init; } = true;

    public bool NoCopy { get; init; }

    public long? TmpfsSize { get; init; }

    public string? Propagation { get; init; }
}

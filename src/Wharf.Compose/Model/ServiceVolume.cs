namespace Wharf.Compose.Model;

/// <summary>A service mount in long syntax: type volume (Source = project volume name or null for
/// anonymous), bind (Source = absolute host path) or tmpfs.</summary>
public sealed record ServiceVolume(string Type, string? Source, string Target, bool ReadOnly = false)
{
    public bool CreateHostPath { get; init; } = true;

    public bool NoCopy { get; init; }

    public long? TmpfsSize { get; init; }

    public string? Propagation { get; init; }

    /// <summary>What the file said, kept for Compose v2's config hash: a "bind:" section (short syntax
    /// implies one with create_host_path), a "volume:" section (implied for short named/anonymous volumes),
    /// a "tmpfs:" section.</summary>
    public bool BindSection { get; init; }

    /// <summary>"z" or "Z" from the short syntax (SELinux relabelling), kept for the hash.</summary>
    public string? SELinux { get; init; }

    public bool BindCreateHostPathDeclared { get; init; }

    public bool VolumeSection { get; init; }

    public bool TmpfsSection { get; init; }
}

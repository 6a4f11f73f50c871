namespace Wharf.Engine.Containers.Mounts;

/// <summary>One resolved mount of a container (what inspect lists under Mounts and what start turns into OCI
/// mounts). Decided at create, persisted with the container record.</summary>
public sealed class MountPointRecord
{
    /// <summary>"volume", "bind" or "tmpfs".</summary>
    public string Type { get; set; } = "";
    /// <summary>The volume's name (volumes only).</summary>
    public string Name { get; set; } = "";
    /// <summary>Host path: bind source, or the volume's data directory.</summary>
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    public string Driver { get; set; } = "";
    /// <summary>The mode text as the user gave it (Docker shows "z" for a plain -v volume, "ro" ...).</summary>
    public string Mode { get; set; } = "";
    public bool RW { get; set; } = true;
    /// <summary>"rprivate", "rshared", "rslave", ...; binds only.</summary>
    public string Propagation { get; set; } = "";
    /// <summary>Copy the image's content at Destination into the volume when it is empty (Docker's default;
    /// off with "nocopy").</summary>
    public bool CopyData { get; set; }
    /// <summary>Bind without MS_REC (bind-recursive=disabled).</summary>
    public bool NonRecursive { get; set; }
    /// <summary>Read-only only on the top mount, not the submounts (bind-recursive=writable).</summary>
    public bool ReadOnlyNonRecursive { get; set; }
    /// <summary>tmpfs mount options (size=..., mode=..., exec...).</summary>
    public List<string> TmpfsOptions { get; set; } = [];
    /// <summary>Sub-directory of the volume to mount (volume-subpath).</summary>
    public string Subpath { get; set; } = "";
}

namespace Wharf.Engine.Containers.Mounts;

/// <summary>One <c>--mount</c> (HostConfig.Mounts entry) as the engine keeps it.</summary>
public sealed class MountRequest
{
    /// <summary>"bind", "volume" or "tmpfs".</summary>
    public string Type { get; set; } = "";
    public string Source { get; set; } = "";
    public string Target { get; set; } = "";
    public bool ReadOnly { get; set; }
    public string BindPropagation { get; set; } = "";
    public bool BindNonRecursive { get; set; }
    public bool BindCreateMountpoint { get; set; }
    public bool BindReadOnlyNonRecursive { get; set; }
    public bool VolumeNoCopy { get; set; }
    public Dictionary<string, string> VolumeLabels { get; set; } = [];
    public string VolumeDriver { get; set; } = "";
    public Dictionary<string, string> VolumeDriverOptions { get; set; } = [];
    public string VolumeSubpath { get; set; } = "";
    public long TmpfsSizeBytes { get; set; }
    public int TmpfsMode { get; set; }
}

namespace Wharf.Engine.Containers;

/// <summary>Everything the daemon persists about one container (data-root/containers/&lt;id&gt;/config.v2.json).</summary>
public sealed class ContainerRecord
{
    public required string Id { get; set; }
    /// <summary>Without the leading slash.</summary>
    public required string Name { get; set; }
    public DateTimeOffset Created { get; set; }
    /// <summary>"sha256:..." of the image the container was created from.</summary>
    public required string ImageId { get; set; }
    public ContainerConfig Config { get; set; } = new();
    public HostSettings Host { get; set; } = new();
    public ContainerState State { get; set; } = new();
    /// <summary>Executable and arguments: entrypoint + cmd resolved against the image at create time.</summary>
    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = [];
    public int RestartCount { get; set; }
    /// <summary>Set when the user stopped it (restart policies and unless-stopped honour that).</summary>
    public bool HasBeenManuallyStopped { get; set; }
    public bool HasBeenStartedBefore { get; set; }
    /// <summary>Volumes, binds and tmpfs mounts, decided at create (Docker's MountPoints).</summary>
    public List<Mounts.MountPointRecord> MountPoints { get; set; } = [];

    public string ShortId => Id[..12];
}

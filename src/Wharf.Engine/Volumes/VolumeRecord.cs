namespace Wharf.Engine.Volumes;

/// <summary>One volume as the daemon persists it (data-root/volumes/&lt;name&gt;/volume.json).</summary>
public sealed class VolumeRecord
{
    /// <summary>Docker 23+ marks volumes made for a container (image VOLUME, <c>-v /path</c>) with this label;
    /// <c>volume prune</c> without <c>all=true</c> only removes those.</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    public required string Name { get; set; }
    public string Driver { get; set; } = VolumeService.LocalDriver;
    /// <summary>Where the volume's data is on the host (the local driver's &lt;name&gt;/_data).</summary>
    public string Mountpoint { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Options { get; set; } = new(StringComparer.Ordinal);
    public string Scope { get; set; } = "local";

    public bool IsAnonymous => Labels.ContainsKey(AnonymousLabel);
}

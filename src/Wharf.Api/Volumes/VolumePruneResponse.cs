namespace Wharf.Api.Volumes;

/// <summary>POST /volumes/prune answer.</summary>
public sealed class VolumePruneResponse
{
    public List<string> VolumesDeleted { get; set; } = [];
    public long SpaceReclaimed { get; set; }
}

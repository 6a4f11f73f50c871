namespace Wharf.Api.Volumes;

/// <summary>GET /volumes answer.</summary>
public sealed class VolumeListResponse
{
    public List<Volume> Volumes { get; set; } = [];
    public List<string> Warnings { get; set; } = [];
}

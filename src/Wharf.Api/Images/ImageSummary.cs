namespace Wharf.Api.Images;

/// <summary>One item of GET /images/json.</summary>
public sealed class ImageSummary
{
    public string Id { get; set; } = "";
    public string ParentId { get; set; } = "";
    public List<string> RepoTags { get; set; } = [];
    public List<string> RepoDigests { get; set; } = [];
    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }
    public long Size { get; set; }
    /// <summary>-1 unless computed.</summary>
    public long SharedSize { get; set; } = -1;
    public Dictionary<string, string>? Labels { get; set; }
    /// <summary>-1 unless computed.</summary>
    public long Containers { get; set; } = -1;
}

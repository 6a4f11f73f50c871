namespace Wharf.Api.Images;

public sealed class ImageRootFs
{
    public string Type { get; set; } = "layers";
    /// <summary>Layer diff IDs, bottom to top.</summary>
    public List<string> Layers { get; set; } = [];
}

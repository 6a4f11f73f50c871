using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed class ImageMetadata
{
    /// <summary>RFC3339Nano time of the last tag; omitted when never tagged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastTagTime { get; set; }
}

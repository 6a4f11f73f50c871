using System.Text.Json.Serialization;
using Wharf.Core.Oci;

namespace Wharf.Engine.Metadata;

/// <summary>image/db/&lt;hex&gt;.json: everything about one image except its tags (those live in
/// repositories.json, the single source of truth for names). <c>parent</c> is the image a build step started from
/// (Docker's legacy builder keeps that chain locally; loaded and pulled images have none).</summary>
internal sealed record ImageDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("config")] ImageConfig Config,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("added")] DateTimeOffset Added,
    [property: JsonPropertyName("lastTagTime")] DateTimeOffset? LastTagTime,
    [property: JsonPropertyName("parent")] string? Parent = null);

using System.Text.Json.Serialization;
using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Metadata;

/// <summary>Source-generated JSON for the image-side documents on disk.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ImageDocument))]
[JsonSerializable(typeof(RepositoriesDocument))]
[JsonSerializable(typeof(SnapshotInfo))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;

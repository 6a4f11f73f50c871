using System.Text.Json.Serialization;

namespace Wharf.Engine.Volumes;

/// <summary>Source-generated JSON for the volume documents.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(VolumeRecord))]
internal sealed partial class VolumeJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary>Source-generated JSON for the volume and archive DTOs (kept apart from ApiJsonContext).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(VolumeCreateRequest))]
[JsonSerializable(typeof(VolumeListResponse))]
[JsonSerializable(typeof(VolumePruneResponse))]
[JsonSerializable(typeof(ContainerPathStat))]
public sealed partial class StorageJsonContext : JsonSerializerContext;
